package dev.hadiag.core.stale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent has learned of one watched entity's reporting: when it last reported, and the most recent
 * gaps between its reports (at most {@link #KEPT_GAPS}, oldest first). Immutable; {@link #observe} returns
 * the next profile.
 *
 * @param paused the entity was last seen unavailable or unknown: the next report starts a new gap, so an
 *               outage (the unavailable check's business) is never learned as a reporting gap
 */
public record ReportingProfile(String entityId, Instant lastReport, List<Duration> gaps, boolean paused) {

    /** Enough to tell a period from noise, little enough to follow a changed period within a day of 5-min reports. */
    public static final int KEPT_GAPS = 16;

    public ReportingProfile {
        if (entityId == null || entityId.isBlank() || lastReport == null) {
            throw new IllegalArgumentException("a reporting profile needs an entity id and a last report");
        }
        gaps = List.copyOf(gaps);
        if (gaps.stream().anyMatch(gap -> gap.isNegative() || gap.isZero())) {
            throw new IllegalArgumentException("gaps must be positive: " + gaps);
        }
    }

    /** The profile of an entity first seen reporting at {@code at}. */
    public static ReportingProfile first(String entityId, Instant at) {
        return new ReportingProfile(entityId, at, List.of(), false);
    }

    /**
     * A report at {@code at} with a valid state ({@code valid}) or not. A report no later than the last one
     * changes nothing (the stream and {@code /api/states} may both show the same report).
     */
    public ReportingProfile observe(Instant at, boolean valid) {
        if (!valid) {
            return paused ? this : new ReportingProfile(entityId, lastReport, gaps, true);
        }
        if (!at.isAfter(lastReport)) {
            return paused ? new ReportingProfile(entityId, lastReport, gaps, false) : this;
        }
        if (paused) {
            return new ReportingProfile(entityId, at, gaps, false);
        }
        List<Duration> next = new ArrayList<>(gaps);
        next.add(Duration.between(lastReport, at));
        while (next.size() > KEPT_GAPS) {
            next.remove(0);
        }
        return new ReportingProfile(entityId, at, next, false);
    }
}
