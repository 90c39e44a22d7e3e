package dev.hadiag.app.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the agent that its database file (or its write-ahead log) was written, by this process or another (the CLI's
 * {@code silence add}): the silence poll runs on that instead of asking SQLite every second. The kernel's file
 * notification (inotify) costs no wake-up while nothing is written; the directory's other files (the storage probe's,
 * the events) are not the database's and are ignored. If the watch cannot be set up, or is lost, {@code lost} is told
 * once and the caller polls as before.
 */
final class DatabaseWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatch.class);

    private final WatchService service;
    private final Thread thread;

    private DatabaseWatch(WatchService service, Path database, Runnable changed, Runnable lost) {
        this.service = service;
        String name = database.getFileName().toString();
        // SQLite's own files beside it: the WAL a commit appends to, the journal, and the file a checkpoint writes.
        Set<String> files = Set.of(name, name + "-wal", name + "-journal");
        this.thread = new Thread(() -> watch(files, changed, lost), "ha-diag-db-watch");
        thread.setDaemon(true);
    }

    /** Watches {@code database}'s directory; empty (and logged) when it cannot be watched. */
    static Optional<DatabaseWatch> start(Path database, Runnable changed, Runnable lost) {
        Path directory = database.toAbsolutePath().getParent();
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            try {
                directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (IOException | RuntimeException e) {
                service.close();
                throw e;
            }
            DatabaseWatch watch = new DatabaseWatch(service, database.toAbsolutePath(), changed, lost);
            watch.thread.start();
            return Optional.of(watch);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot watch {} for changes ({}): silences written by the CLI are looked for every second", directory, e.toString());
            return Optional.empty();
        }
    }

    private void watch(Set<String> files, Runnable changed, Runnable lost) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // An overflow lost events, some of them maybe the database's.
                    ours |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || event.context() instanceof Path file && files.contains(file.toString());
                }
                if (ours) {
                    changed.run();
                }
                if (!key.reset()) {
                    LOG.warn("the database's directory can no longer be watched: silences written by the CLI are looked for every second");
                    lost.run();
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopping) {
            // closed: the agent is stopping
        } catch (RuntimeException e) {
            LOG.error("database watch failed: silences written by the CLI are looked for every second", e);
            lost.run();
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
