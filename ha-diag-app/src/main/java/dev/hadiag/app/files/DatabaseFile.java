package dev.hadiag.app.files;

import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.events.fs.ParentOwnership;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A SQLite file beside the agent's database (the database itself, the relay's state), created by a command that may
 * run as another user than the agent: {@code sudo ha-diag check} or {@code silence add}. SQLite would create a missing
 * file as its caller, root, and the agent (UID 10001, the directory's owner) could then only read it. So a missing
 * file is created here first, empty (an empty file is an empty SQLite database), and given the directory's owner
 * ({@link ParentOwnership}). Its journal files then follow: SQLite run as root gives {@code -wal} and {@code -shm}
 * the database file's owner.
 */
public final class DatabaseFile {

    private DatabaseFile() {
    }

    /**
     * Creates {@code file} if it is missing and its directory exists, owned like that directory.
     *
     * @throws DiagnosticStoreException naming the file when it cannot be made writable for the directory's owner
     */
    public static void createLikeItsDirectory(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory) || Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createFile(absolute);
        } catch (FileAlreadyExistsException raced) {
            return;
        } catch (IOException e) {
            // SQLite will say why it cannot create the file either, in its own words
            return;
        }
        try {
            ParentOwnership.adopt(absolute);
        } catch (FileSystemException e) {
            throw new DiagnosticStoreException("database " + absolute + ": " + (e.getReason() == null ? e.getMessage() : e.getReason()), e);
        } catch (IOException e) {
            throw new DiagnosticStoreException("database " + absolute + ": cannot give it the owner of " + directory + ": " + e.getMessage(), e);
        }
    }
}
