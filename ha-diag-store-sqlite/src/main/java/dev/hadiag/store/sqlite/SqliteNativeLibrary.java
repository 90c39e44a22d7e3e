package dev.hadiag.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.util.OSInfo;

/**
 * Puts sqlite-jdbc's native library for this machine in a directory once, at install time ({@code bin/ha-diag-cds}
 * runs {@code dev.hadiag.app.cli.SqliteNativeInstall} next to the jar), so that the launcher can point sqlite-jdbc at it
 * ({@code -Dorg.sqlite.lib.path}, {@code -Dorg.sqlite.lib.name}). Without that, every start of the JVM writes the
 * 1 MB library to the temporary directory, reads it back to compare, and deletes it on exit: about 40 ms of a
 * 1 s plugin run (docs/performance.md, figure 8), and a write to {@code /tmp} a hardened unit may not allow.
 */
public final class SqliteNativeLibrary {

    /** The file name sqlite-jdbc loads ({@code org.sqlite.lib.name}). */
    public static final String FILE_NAME = System.mapLibraryName("sqlitejdbc");

    private SqliteNativeLibrary() {
    }

    /** Writes this machine's library to {@code directory} (created if missing); returns its path. */
    public static Path extractTo(Path directory) throws IOException {
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + FILE_NAME;
        try (InputStream library = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
            if (library == null) {
                throw new IOException("sqlite-jdbc has no native library for this machine (" + resource + ")");
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(FILE_NAME);
            Path partial = directory.resolve(FILE_NAME + ".tmp");
            Files.copy(library, partial, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
