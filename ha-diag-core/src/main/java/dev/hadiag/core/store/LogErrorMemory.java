package dev.hadiag.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code ha_log_errors} check remembers of HA's log from one run to the next, and across restarts of the agent
 * and of HA: how far it has counted each entry HA keeps, when each source (an integration, else a logger) last logged an
 * error it had not counted yet, and when it last read HA's log. The first is what makes "new" new; the second is the
 * quiet period's clock, which must outlive an HA restart that empties HA's log; the third tells the very first read
 * (what HA logged before the agent ever looked) from every later one.
 *
 * @param counted     entry identity ({@code LogEntry.identity()}) → the entry's count as last read
 * @param lastErrorAt source key ({@code RootCause.key()}) → when the agent last saw a new error of it
 * @param readAt      when the agent last read HA's log; {@link Instant#EPOCH}: never
 */
public record LogErrorMemory(Map<String, Long> counted, Map<String, Instant> lastErrorAt, Instant readAt) {

    public static final LogErrorMemory EMPTY = new LogErrorMemory(Map.of(), Map.of(), Instant.EPOCH);

    public LogErrorMemory {
        counted = Map.copyOf(counted);
        lastErrorAt = Map.copyOf(lastErrorAt);
        if (readAt == null) {
            throw new IllegalArgumentException("readAt is required (Instant.EPOCH: never read)");
        }
        if (counted.values().stream().anyMatch(count -> count < 0)) {
            throw new IllegalArgumentException("a counted entry's count must not be negative");
        }
    }

    /** When HA's log was last read, if it ever was. */
    public Optional<Instant> lastRead() {
        return readAt.equals(Instant.EPOCH) ? Optional.empty() : Optional.of(readAt);
    }
}
