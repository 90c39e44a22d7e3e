package dev.hadiag.core.store;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.silence.AlertSubject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The one record of "this open alert's events are withheld", whoever withheld them. While it is stored, the alert's
 * repeats are not written, nor its resolution unless its opening was; marking an opening of its key sent at a later
 * instant ends it, as does marking its resolution sent (see {@link dev.hadiag.core.port.DiagnosticStore#markSent}).
 *
 * @param since when the events were first withheld (millisecond precision)
 */
public record Withheld(String alertKey, String correlationId, Reason reason, Instant since) {

    /** Who withheld the alert's events, and so what is written of it later. */
    public sealed interface Reason permits Storm, Silenced, Acknowledged {
        /** Whether the opening event was written (then the resolution is too). */
        boolean openingWritten();
    }

    /** One run opened more alerts of its type than the storm guard writes: nothing of this one is ever written. */
    public record Storm() implements Reason {
        @Override
        public boolean openingWritten() {
            return false;
        }
    }

    /**
     * A silence (maintenance is one) covered the alert when it opened: its opening is written, with the alert's correlation
     * id, once no silence covers it any more. Keeps what that opening says.
     *
     * @param opening what the opening would have said; its details are not kept ({@code subject} keeps what matching needs)
     * @param subject what silences match the alert against
     */
    public record Silenced(String check, Finding opening, AlertSubject subject) implements Reason {
        public Silenced {
            if (check == null || opening == null || subject == null) {
                throw new IllegalArgumentException("a silenced opening needs its check, finding and subject");
            }
            opening = new Finding(opening.type(), opening.severity(), opening.rootCause(), opening.summary(), opening.entities(),
                    opening.since(), Map.of());
        }

        @Override
        public boolean openingWritten() {
            return false;
        }
    }

    /** An operator acknowledged the open alert: no repeat is written until it resolves; its resolution is. */
    public record Acknowledged() implements Reason {
        @Override
        public boolean openingWritten() {
            return true;
        }
    }

    public Withheld {
        if (alertKey == null || alertKey.isBlank() || correlationId == null || correlationId.isBlank() || reason == null || since == null) {
            throw new IllegalArgumentException("withheld: alert key, correlation id, reason and since are required");
        }
        since = since.truncatedTo(ChronoUnit.MILLIS);
    }
}
