package dev.hadiag.core.store;

import java.time.Instant;
import java.util.Map;

/**
 * What the {@code log_errors} check remembers of HA's log from one run to the next, and across restarts of the agent:
 * how far it has counted each entry HA keeps, and when each source (an integration, else a logger) last logged an error
 * it had not counted yet. The first is what makes "new" new; the second is the quiet period's clock, which must outlive
 * an HA restart that empties HA's log.
 *
 * @param counted     entry identity ({@code LogEntry.identity()}) → the entry's count as last read
 * @param lastErrorAt source → when the agent last saw a new error of it
 */
public record LogErrorMemory(Map<String, Long> counted, Map<String, Instant> lastErrorAt) {

    public static final LogErrorMemory EMPTY = new LogErrorMemory(Map.of(), Map.of());

    public LogErrorMemory {
        counted = Map.copyOf(counted);
        lastErrorAt = Map.copyOf(lastErrorAt);
        if (counted.values().stream().anyMatch(count -> count < 0)) {
            throw new IllegalArgumentException("a counted entry's count must not be negative");
        }
    }
}
