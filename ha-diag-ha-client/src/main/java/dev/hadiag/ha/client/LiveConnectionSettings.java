package dev.hadiag.ha.client;

import java.time.Duration;

/**
 * Timing of the live connection.
 *
 * @param pingAfter        send a WebSocket {@code ping} when no frame came for this long
 * @param pongTimeout      a ping unanswered for this long means the connection is dead
 * @param initialBackoff   first reconnect delay; doubles per failed attempt
 * @param maxBackoff       cap of the reconnect delay
 * @param authRetry        delay before trying again after {@code auth_invalid}: long, because each rejected
 *                         attempt makes HA notify its users of a failed login
 */
public record LiveConnectionSettings(Duration pingAfter, Duration pongTimeout, Duration initialBackoff,
        Duration maxBackoff, Duration authRetry) {

    public static final LiveConnectionSettings DEFAULTS = new LiveConnectionSettings(
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

    public LiveConnectionSettings {
        for (Duration d : new Duration[] {pingAfter, pongTimeout, initialBackoff, maxBackoff, authRetry}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("live connection durations must be positive: " + d);
            }
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max backoff " + maxBackoff + " is below the initial backoff " + initialBackoff);
        }
    }

    /** The delay before reconnect attempt {@code attempt} (1-based): capped exponential, with jitter in [50%, 100%]. */
    Duration backoff(int attempt, double random) {
        long initial = initialBackoff.toMillis();
        long capped = maxBackoff.toMillis();
        long exponential = attempt >= 31 ? capped : Math.min(capped, initial << Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.max(1, (long) (exponential * (0.5 + 0.5 * random))));
    }
}
