package dev.hadiag.core.silence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A stored silence: while it is active, the alerts all its matchers match write no event (see {@link SilenceGate}).
 *
 * @param id             the store's id
 * @param startsAt       when it was created: it is active from then
 * @param endsAt         when it ends (or ended: expiring it early moves this to the moment of expiry)
 * @param expiredEarly   whether someone ended it before its time
 * @param startAnnounced whether its {@code ha_diag_silence_started} event is written
 * @param endAnnounced   whether its {@code ha_diag_silence_ended} event is written
 */
public record Silence(long id, List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String comment, String createdBy,
        boolean expiredEarly, boolean startAnnounced, boolean endAnnounced) {

    public Silence {
        matchers = List.copyOf(matchers);
        if (startsAt == null || endsAt == null || comment == null || createdBy == null) {
            throw new IllegalArgumentException("silence fields are required");
        }
        startsAt = startsAt.truncatedTo(ChronoUnit.MILLIS);
        endsAt = endsAt.truncatedTo(ChronoUnit.MILLIS);
    }

    public boolean activeAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }

    /** Whether every matcher matches the alert. */
    public boolean matches(AlertSubject subject) {
        return !matchers.isEmpty() && matchers.stream().allMatch(matcher -> matcher.matches(subject));
    }

    /** {@code active} or {@code expired}, as the API and the CLI show it. */
    public String stateAt(Instant at) {
        return activeAt(at) ? "active" : at.isBefore(startsAt) ? "pending" : "expired";
    }
}
