package dev.hadiag.app.relay;

import dev.hadiag.core.event.Event;
import dev.hadiag.events.fs.EventJson;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every event file of the tree to one destination, in order, from a durable cursor. The head of the queue is
 * retried until the destination takes it, so nothing overtakes it (no reordering within an alert key, or at all);
 * while the destination is down the files simply wait on disk. Files that cannot be events (garbage, FIFOs, huge
 * files) are skipped with a log line; a file too young to judge ends the pass (nothing after it goes first), since
 * another tool may still be writing it without a rename.
 */
final class EventRelay implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
    /** Another host's files may arrive this many days late (synced when its connectivity returns). */
    private static final int LATE_DAYS = 2;
    /** A file that does not parse and is younger than this may still be being written by a tool that does not rename. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final EventTree tree;
    private final RelayLedger ledger;
    private final Destination destination;
    private final Clock clock;
    private final Duration poll;
    private final Duration maxBackoff;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object wakeUp = new Object();
    /** What {@link #status()} shows: written by the relay's thread, read by the HTTP API's. */
    private volatile String failure = "";
    private volatile Instant failingSince = Instant.EPOCH;
    private final java.util.concurrent.atomic.AtomicLong deliveredCount = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refusedCount = new java.util.concurrent.atomic.AtomicLong();

    EventRelay(EventTree tree, RelayLedger ledger, Destination destination, Clock clock, Duration poll, Duration maxBackoff) {
        this.tree = tree;
        this.ledger = ledger;
        this.destination = destination;
        this.clock = clock;
        this.poll = poll;
        this.maxBackoff = maxBackoff;
    }

    /** Until {@link #stop()}: passes over the tree, then waits for the next poll. */
    @Override
    public void run() {
        Duration backoff = Duration.ZERO;
        boolean down = false;
        while (running.get()) {
            try {
                pass();
                destination.idle();
                if (down) {
                    LOG.info("{}: delivering again", destination.name());
                    down = false;
                }
                backoff = Duration.ZERO;
                pause(poll);
            } catch (DeliveryException e) {
                destination.reset();
                failing("down: " + e.getMessage() + "; the events wait on disk");
                backoff = backoff.isZero() ? Duration.ofMillis(250) : min(backoff.multipliedBy(2), maxBackoff);
                if (!down) {
                    LOG.warn("{}: {}; the events wait on disk, retrying every {} at most", destination.name(), e.getMessage(), maxBackoff);
                    down = true;
                }
                pause(backoff);
            } catch (RelayException e) {
                LOG.error("{}: {}", destination.name(), e.getMessage());
                failing(e.getMessage());
                pause(maxBackoff);
            } catch (RuntimeException e) {
                // Whatever it was, the relay must not die quietly: log it, drop the connection, try again later.
                LOG.error("{}: unexpected failure, retrying in {}", destination.name(), maxBackoff, e);
                failing("unexpected failure: " + e);
                destination.reset();
                pause(maxBackoff);
            }
        }
    }

    /**
     * One pass: every file not yet delivered, oldest first, until the destination fails.
     *
     * @return how many events this pass delivered
     */
    int pass() throws DeliveryException {
        int count = 0;
        Set<String> done = ledger.doneDays(destination.name());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (String day : tree.days()) {
            if (done.contains(day)) {
                continue;
            }
            Set<String> delivered = ledger.delivered(destination.name(), day);
            List<EventFile> files = tree.files(day);
            for (EventFile file : files) {
                if (!running.get()) {
                    return count;
                }
                if (delivered.contains(file.node() + "/" + file.name())) {
                    continue;
                }
                Optional<RelayEvent> event = read(file);
                if (event.isEmpty()) {
                    if (tooYoungToJudge(file)) {
                        // Perhaps still being written by a tool that does not rename: nothing after it goes first.
                        return count;
                    }
                    ledger.markDelivered(destination.name(), file); // skipped for good: logged by read()
                    continue;
                }
                if (destination.wants(event.get())) {
                    try {
                        destination.deliver(event.get());
                        deliveredCount.incrementAndGet();
                        failure = "";
                    } catch (DeliveryException e) {
                        if (e.retry()) {
                            throw e;
                        }
                        LOG.error("{}: refused {} for good, skipping it: {}", destination.name(), file.relativePath(), e.getMessage());
                        refusedCount.incrementAndGet();
                        failing("refuses events (" + e.getMessage() + "): " + file.relativePath() + " was skipped, not sent");
                    } catch (IllegalArgumentException e) {
                        // An event this destination cannot express (e.g. a topic over MQTT's limits): skipped, never retried.
                        LOG.error("{}: cannot send {}, skipping it: {}", destination.name(), file.relativePath(), e.getMessage());
                    }
                    count++;
                }
                ledger.markDelivered(destination.name(), file);
            }
            if (isOld(day, today)) {
                ledger.markDayDone(destination.name(), day);
            }
        }
        return count;
    }

    private Optional<RelayEvent> read(EventFile file) {
        Optional<byte[]> bytes = tree.read(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            Event event = EventJson.parse(bytes.get());
            return Optional.of(RelayEvent.of(file, bytes.get(), event));
        } catch (IllegalArgumentException e) { // MalformedEventException, or a value the event model refuses
            if (!tooYoungToJudge(file)) {
                LOG.warn("skipping {}: not an event: {}", file.relativePath(), e.getMessage());
            }
            return Optional.empty();
        }
    }

    private boolean tooYoungToJudge(EventFile file) {
        try {
            Instant modified = Files.getLastModifiedTime(file.path(), LinkOption.NOFOLLOW_LINKS).toInstant();
            return modified.isAfter(clock.instant().minus(SETTLE));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean isOld(String day, LocalDate today) {
        try {
            return LocalDate.parse(day).isBefore(today.minusDays(LATE_DAYS));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** A new file is there: pass now instead of at the next poll. */
    public void wake() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    public void stop() {
        running.set(false);
        wake();
    }

    public String destinationName() {
        return destination.name();
    }

    /** Whether the destination takes the events now, and what it took and refused so far. */
    DestinationStatus status() {
        return new DestinationStatus(destination.name(), failure, failingSince, deliveredCount.get(), refusedCount.get());
    }

    /** Failing since the first failure after the last delivery; the reason is the latest. */
    private void failing(String reason) {
        if (failure.isEmpty()) {
            failingSince = clock.instant();
        }
        failure = reason;
    }

    private void pause(Duration duration) {
        synchronized (wakeUp) {
            if (running.get()) {
                try {
                    wakeUp.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.set(false);
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
