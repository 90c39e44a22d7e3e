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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 */
final class StorageHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);
    /** Enough bytes to need a data block: an empty file can still be created on a full disk. */
    private static final int PROBE_BYTES = 4096;

    /** A directory the agent writes to, named as {@code /health} shows it ({@code events}, {@code store}). */
    record Target(String component, Path directory) {
    }

    private final List<Target> targets;
    private final Clock clock;
    private final Map<String, AgentView.Problem> failing = new ConcurrentHashMap<>();
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

    void probeAll() {
        for (Target target : targets) {
            try {
                probe(target.directory()).ifPresentOrElse(reason -> failed(target.component(), reason), () -> ok(target.component()));
            } catch (RuntimeException e) {
                failed(target.component(), e.toString());
            }
        }
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

    private static Optional<String> probe(Path directory) {
        Path probe = directory.resolve(".ha-diag-probe-" + ProcessHandle.current().pid() + ".tmp");
        try {
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
