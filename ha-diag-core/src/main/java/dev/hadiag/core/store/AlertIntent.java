package dev.hadiag.core.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An alert event about to be written, recorded before the write so that a crash between writing the event
 * and recording its effect can be told apart from a crash before the write: on start, an intent whose
 * event is on disk is marked sent, and one whose event is not keeps its correlation id for the next open.
 *
 * @param alert      for {@link Kind#OPEN} and {@link Kind#REPEAT} the open alert as it will be recorded;
 *                   for {@link Kind#RESOLVE} the open alert being resolved
 * @param at         the event's timestamp (millisecond precision, as event files carry it)
 * @param absorbedBy for a resolution, the alert key of the higher cause that took the alert over; else empty
 */
public record AlertIntent(Kind kind, OpenAlert alert, Instant at, String absorbedBy) {

    public enum Kind { OPEN, REPEAT, RESOLVE }

    public AlertIntent {
        if (kind == null || alert == null || at == null || absorbedBy == null) {
            throw new IllegalArgumentException("intent fields are required");
        }
        at = at.truncatedTo(ChronoUnit.MILLIS);
    }

    public String alertKey() {
        return alert.alertKey();
    }

    public String correlationId() {
        return alert.correlationId();
    }

    /** The event type the intent's event carries: the alert type, or its resolution type. */
    public String eventType() {
        return kind == Kind.RESOLVE ? alert.type().resolutionType() : alert.type().type();
    }
}
