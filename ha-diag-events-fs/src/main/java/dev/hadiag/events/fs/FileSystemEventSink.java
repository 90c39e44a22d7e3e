package dev.hadiag.events.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each event as its own file under the event-system layout, durably and atomically: the bytes go
 * to a hidden temp file in the target directory, are fsynced, renamed into place in one step, and the
 * directory is fsynced. A reader sees a complete file or none; a crash leaves at most a temp file, which
 * readers ignore and {@link #open} removes on the next start. Safe for concurrent use by many threads
 * and processes: every file gets a fresh random UUID. What it creates takes the owner of the directory it is in
 * ({@link ParentOwnership}), so a CLI run as root leaves the tree writable by the agent that owns it.
 */
public final class FileSystemEventSink implements EventSink {

    private static final System.Logger LOG = System.getLogger(FileSystemEventSink.class.getName());
    /** How many of the newest date directories the start-up sweep looks at for stale temp files. */
    private static final int SWEPT_DATE_DIRECTORIES = 3;
    /** A temp file older than this is stale even if a process with its pid runs (pid reuse, other host). */
    private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    private static final Pattern TEMP_NAME = Pattern.compile(
            Pattern.quote(EventLayout.TEMP_PREFIX) + "(\\d{1,18})-.*" + Pattern.quote(EventLayout.TEMP_SUFFIX));

    private final Path root;
    private final Supplier<UUID> ids;
    /** Whether this process writes as root, learned from its first file: only root's files need giving away. */
    private volatile Boolean writesAsRoot;

    private FileSystemEventSink(Path root, Supplier<UUID> ids) {
        this.root = root;
        this.ids = ids;
    }

    /**
     * A sink writing under {@code root}, which is created if missing. Stale temp files that an earlier
     * crash left in the newest date directories are removed.
     *
     * @throws EventSinkException when the root is not a directory or cannot be created
     */
    public static FileSystemEventSink open(Path root) {
        return open(root, UUID::randomUUID, Clock.systemUTC());
    }

    static FileSystemEventSink open(Path root, Supplier<UUID> ids, Clock clock) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new EventSinkException("events directory " + absolute + " cannot be used: " + EventLayout.describe(e), e);
        }
        FileSystemEventSink sink = new FileSystemEventSink(absolute, ids);
        sink.removeStaleTempFiles(clock.instant());
        return sink;
    }

    public Path root() {
        return root;
    }

    @Override
    public void emit(Event event) {
        write(event);
    }

    /**
     * Writes the event and returns the path of its file, complete and durable on return.
     *
     * @throws EventSinkException naming the directory and the reason; no partial file is visible then
     */
    public Path write(Event event) {
        Path directory = EventLayout.directoryOf(root, event);
        UUID id = ids.get();
        Path target = directory.resolve(EventLayout.fileNameOf(event, id));
        Path temp = directory.resolve(EventLayout.tempNameFor(id));
        byte[] bytes = EventJson.toFileBytes(event);
        try {
            ensureDirectory(directory);
            try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (writesAsRoot(temp)) {
                ParentOwnership.adopt(temp);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(directory);
            return target;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new EventSinkException("could not write " + event.type() + " event to " + directory + ": "
                    + EventLayout.describe(e), e);
        }
    }

    /** Creates the date and node directories as needed, fsyncing each parent so the new entry survives a crash. */
    private void ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (!Files.isDirectory(root)) {
            // Deleted while the agent runs: it was created at start, so it is created again rather than failing every write.
            Files.createDirectories(root);
            LOG.log(Level.WARNING, "events directory {0} was missing (deleted while running): created it again", root);
        }
        Path dateDirectory = directory.getParent();
        createDurably(dateDirectory);
        createDurably(directory);
    }

    private static void createDurably(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(directory)) {
                throw raced;
            }
            return;
        }
        // Before anything is written into it: another writer (the agent) may write there the next moment.
        ParentOwnership.adopt(directory);
        fsyncDirectory(directory.getParent());
    }

    private boolean writesAsRoot(Path created) throws IOException {
        Boolean known = writesAsRoot;
        if (known == null) {
            try {
                known = Integer.valueOf(0).equals(Files.getAttribute(created, "unix:uid"));
            } catch (UnsupportedOperationException notPosix) {
                known = false;
            }
            writesAsRoot = known;
        }
        return known;
    }

    private static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove temp file {0}: {1}", file, EventLayout.describe(e));
        }
    }

    private void removeStaleTempFiles(Instant now) {
        List<Path> dates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                p -> EventLayout.DATE_DIRECTORY.matcher(p.getFileName().toString()).matches())) {
            entries.forEach(dates::add);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not look for stale temp files in {0}: {1}", root, EventLayout.describe(e));
            return;
        }
        dates.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        int removed = 0;
        for (Path date : dates.subList(0, Math.min(SWEPT_DATE_DIRECTORIES, dates.size()))) {
            try (DirectoryStream<Path> nodes = Files.newDirectoryStream(date, Files::isDirectory)) {
                for (Path node : nodes) {
                    removed += removeStaleTempFilesIn(node, now);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not look for stale temp files in {0}: {1}", date, EventLayout.describe(e));
            }
        }
        if (removed > 0) {
            LOG.log(Level.INFO, "removed {0} temp file(s) left by an interrupted writer under {1}", removed, root);
        }
    }

    private static int removeStaleTempFilesIn(Path directory, Instant now) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory,
                EventLayout.TEMP_PREFIX + "*" + EventLayout.TEMP_SUFFIX)) {
            for (Path temp : temps) {
                if (isStale(temp, now)) {
                    Files.deleteIfExists(temp);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isStale(Path temp, Instant now) throws IOException {
        Instant modified = Files.getLastModifiedTime(temp).toInstant();
        if (modified.plus(STALE_TEMP_AGE).isBefore(now)) {
            return true;
        }
        Matcher pid = TEMP_NAME.matcher(temp.getFileName().toString());
        if (!pid.matches()) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid.group(1))).isEmpty();
        } catch (NumberFormatException notOurs) {
            return false;
        }
    }
}
