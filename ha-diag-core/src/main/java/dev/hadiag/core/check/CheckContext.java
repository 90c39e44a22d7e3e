package dev.hadiag.core.check;

import java.time.Instant;
import java.util.Optional;

/** What a run knows besides HA's answers: the time, and since when HA is known to have been up without a restart. */
public final class CheckContext {

    private final Instant now;
    private final Instant haUpSince;

    private CheckContext(Instant now, Instant haUpSince) {
        if (now == null) {
            throw new IllegalArgumentException("now is required");
        }
        this.now = now;
        this.haUpSince = haUpSince;
    }

    public static CheckContext at(Instant now) {
        return new CheckContext(now, null);
    }

    /**
     * @param haUpSince since when HA has been running without a restart, as far as the agent saw it (the
     *                  live connection has been up since then): HA's {@code last_changed} after it is trustworthy
     */
    public static CheckContext at(Instant now, Instant haUpSince) {
        if (haUpSince == null) {
            throw new IllegalArgumentException("haUpSince is required here; use at(now) when it is not known");
        }
        return new CheckContext(now, haUpSince);
    }

    public Instant now() {
        return now;
    }

    public Optional<Instant> haUpSince() {
        return Optional.ofNullable(haUpSince);
    }
}
