package dev.hadiag.app.agent;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One running agent per database. Two agents on one state both decide about the same alerts: one HA crash is
 * written twice, and entity alerts split between them. The agent holds an exclusive lock on {@code <database>.lock}
 * while it runs (the kernel drops it when the process ends, however it ends); the file says who holds it, so a
 * second agent can refuse to start naming the first. The CLI commands that only read or amend the state
 * ({@code check}, {@code silence}, {@code events}) never take it.
 */
final class StateLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file beside the database. */
    static Path fileFor(Path database) {
        Path absolute = database.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".lock");
    }

    /**
     * Takes the lock or fails at once (never waits).
     *
     * @throws IllegalStateException naming the database, the lock file and, when it has written itself, the holder
     */
    static StateLock acquire(Path database, Instant startedAt) {
        Path absolute = database.toAbsolutePath().normalize();
        Path file = fileFor(absolute);
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, CREATE, READ, WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new IllegalStateException("database " + absolute + " is in use by another agent (" + holder + "; lock " + file
                        + "): two agents on one state would write every alert twice. Stop that agent, or give this one its own"
                        + " database (HA_DIAG_DB)");
            }
            String description = "pid " + ProcessHandle.current().pid() + " on host " + host() + ", started " + startedAt + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(description.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new StateLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("database " + absolute + ": cannot take the lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** What the holder wrote; it writes right after locking, so a start in that instant finds nothing yet. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "holder not yet written" : text;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }

    Path file() {
        return file;
    }

    /** Releases the lock; the file stays (removing it would let a third agent lock a new file while a second waits on the old). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
