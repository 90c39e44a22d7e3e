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
 * @param quickBackoff     cap of the delay while the outage is younger than {@code quickFor}: HA back from a restart
 *                         is seen within about this long
 * @param quickFor         how long an outage keeps the quick cap; after it the delay doubles from {@code quickBackoff}
 *                         up to {@code maxBackoff}, so an HA that is gone is not dialled every second forever.
 *                         Zero: no quick phase ({@code quickBackoff} is then {@code maxBackoff})
 */
public record LiveConnectionSettings(Duration pingAfter, Duration pongTimeout, Duration initialBackoff,
        Duration maxBackoff, Duration authRetry, Duration quickBackoff, Duration quickFor) {

    public static final LiveConnectionSettings DEFAULTS = new LiveConnectionSettings(
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

    /** Without a quick phase: the delay doubles from {@code initialBackoff} to {@code maxBackoff}. */
    public LiveConnectionSettings(Duration pingAfter, Duration pongTimeout, Duration initialBackoff, Duration maxBackoff, Duration authRetry) {
        this(pingAfter, pongTimeout, initialBackoff, maxBackoff, authRetry, maxBackoff, Duration.ZERO);
    }

    public LiveConnectionSettings {
        for (Duration d : new Duration[] {pingAfter, pongTimeout, initialBackoff, maxBackoff, authRetry, quickBackoff}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("live connection durations must be positive: " + d);
            }
        }
        if (quickFor == null || quickFor.isNegative()) {
            throw new IllegalArgumentException("the quick reconnect phase must not be negative: " + quickFor);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max backoff " + maxBackoff + " is below the initial backoff " + initialBackoff);
        }
        if (quickBackoff.compareTo(initialBackoff) < 0 || quickBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("quick backoff " + quickBackoff + " must lie between the initial " + initialBackoff
                    + " and the max backoff " + maxBackoff);
        }
    }

    /** The delay before reconnect attempt {@code attempt} (1-based) of an outage still in its quick phase. */
    Duration backoff(int attempt, double random) {
        return backoff(attempt, 0, random);
    }

    /**
     * The delay before reconnect attempt {@code attempt} (1-based), {@code slowAttempts} of them made after the quick
     * phase ended: capped exponential, with jitter in [50%, 100%].
     */
    Duration backoff(int attempt, int slowAttempts, double random) {
        long initial = initialBackoff.toMillis();
        long quick = quickBackoff.toMillis();
        long exponential = slowAttempts <= 0
                ? attempt >= 31 ? quick : Math.min(quick, initial << Math.max(0, attempt - 1))
                : Math.min(maxBackoff.toMillis(), quick << Math.min(slowAttempts, 30));
        return Duration.ofMillis(Math.max(1, (long) (exponential * (0.5 + 0.5 * random))));
    }
}
