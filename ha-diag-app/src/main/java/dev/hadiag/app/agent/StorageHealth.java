package dev.hadiag.app.agent;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.hadiag.http.AgentView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the agent can still write what it must: the event files and the database. Events are rare, so
 * waiting for the next one to fail would hide a full or read-only disk for hours; instead each directory
 * is probed on a schedule (a small hidden file written, fsynced and removed), and every event write
 * reports its own outcome at once. {@code /health} shows what is failing, with the reason.
 *
 * <p>A directory the agent created at start ({@code events}) and that is deleted while it runs is created again by the
 * probe, with a log line: nobody has to run {@code mkdir} for {@code /health} to recover. A file the agent keeps open
 * (the database) is watched too: deleted or replaced under it, the agent would go on writing to a file nobody can open
 * again, with every probe of the directory still passing.
 */
final class StorageHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);
    /** Enough bytes to need a data block: an empty file can still be created on a full disk. */
    private static final int PROBE_BYTES = 4096;

    /**
     * A directory the agent writes to, named as {@code /health} shows it ({@code events}, {@code store}).
     *
     * @param recreate whether a probe that finds it missing creates it again
     */
    record Target(String component, Path directory, boolean recreate) {
        Target(String component, Path directory) {
            this(component, directory, false);
        }
    }

    /** A file held open: its identity (device and inode) when opened, to tell it from a file put in its place. */
    private record Watched(String component, Path file, Object identity) {
    }

    private final List<Target> targets;
    private final Clock clock;
    private final Map<String, AgentView.Problem> failing = new ConcurrentHashMap<>();
    private final List<Watched> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Its own thread: a probe stuck on a hung disk must not hold up the watchdog's ticks.
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ha-diag-storage-probe");
        thread.setDaemon(true);
        return thread;
    });

    StorageHealth(List<Target> targets, Clock clock) {
        this.targets = List.copyOf(targets);
        this.clock = clock;
    }

    /** Probes every directory now and then every {@code interval}. */
    void start(Duration interval) {
        prober.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches a file the agent has just opened (and keeps open) as part of {@code component}: from now on, a probe that
     * finds it gone or replaced reports the component failing.
     *
     * @throws IOException when the file cannot be looked at now
     */
    void watch(String component, Path file) throws IOException {
        watched.add(new Watched(component, file, identity(file)));
    }

    void probeAll() {
        for (Target target : targets) {
            try {
                probe(target).or(() -> watchedProblem(target.component()))
                        .ifPresentOrElse(reason -> failed(target.component(), reason), () -> ok(target.component()));
            } catch (RuntimeException e) {
                failed(target.component(), e.toString());
            }
        }
    }

    private Optional<String> watchedProblem(String component) {
        for (Watched file : watched) {
            if (!file.component().equals(component)) {
                continue;
            }
            Object now;
            try {
                now = identity(file.file());
            } catch (NoSuchFileException e) {
                return Optional.of(file.file() + " was deleted while the agent runs: what it records goes to a file that is gone"
                        + " and is lost at the next start; restore the file, or restart the agent (it then starts a new database)");
            } catch (IOException e) {
                return Optional.of(file.file() + " cannot be looked at: " + describe(e));
            }
            if (!Objects.equals(now, file.identity())) {
                return Optional.of(file.file() + " was replaced by another file while the agent runs: the agent still writes to"
                        + " the one it opened; restart it to use the new one");
            }
        }
        return Optional.empty();
    }

    /** The file's device and inode where the file system has them, else its creation time (a new file has a new one). */
    private static Object identity(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
    }

    /** What the last probe or write found failing; empty when everything can be written. */
    List<AgentView.Problem> problems() {
        List<AgentView.Problem> problems = new ArrayList<>(failing.values());
        problems.sort(java.util.Comparator.comparing(AgentView.Problem::component));
        return problems;
    }

    void ok(String component) {
        if (failing.remove(component) != null) {
            LOG.info("{} can be written again", component);
        }
    }

    void failed(String component, String reason) {
        AgentView.Problem before = failing.get(component);
        failing.put(component, new AgentView.Problem(component, reason, before == null ? clock.instant() : before.since()));
        if (before == null || !before.reason().equals(reason)) {
            LOG.error("{} cannot be written: {}", component, reason);
        }
    }

    private static Optional<String> probe(Target target) {
        Path directory = target.directory();
        Path probe = directory.resolve(".ha-diag-probe-" + ProcessHandle.current().pid() + ".tmp");
        try {
            if (target.recreate() && Files.notExists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory);
                LOG.warn("{} directory {} was missing (deleted while the agent runs): created it again", target.component(), directory);
            }
            if (!Files.isDirectory(directory)) {
                return Optional.of(directory + " is not a directory");
            }
            try (FileChannel channel = FileChannel.open(probe, CREATE, TRUNCATE_EXISTING, WRITE)) {
                ByteBuffer buffer = ByteBuffer.allocate(PROBE_BYTES);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(describe(e) + " (" + directory + ")");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", probe, e.getMessage());
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
