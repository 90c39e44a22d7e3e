package dev.hadiag.core.store;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.silence.AlertSubject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The fact "this open alert's opening event was not written" (a silence held it back; the storm guard may too): while it
 * is stored, the alert's repeats and its resolution are not written either, and whoever releases it writes the opening
 * then. Marking an opening of the same key sent at a later instant ends the fact (see
 * {@link dev.hadiag.core.port.DiagnosticStore#markSent}), as does marking its resolution sent.
 *
 * @param finding what the opening would have said; its details are not kept (the subject keeps what matching needs)
 * @param subject what silences match the alert against
 * @param heldAt  when the opening was held back (millisecond precision)
 * @param reason  who held it back, and so who may write it: a silence's end writes only what silences held
 */
public record HeldOpening(String check, String correlationId, Finding finding, AlertSubject subject, Instant heldAt, Reason reason) {

    /** Who held an opening back. */
    public enum Reason {
        /** A silence (or maintenance) covered the alert: written when none covers it any more. */
        SILENCE,
        /** The storm guard (issue #15) held it back: never written by a silence's end. */
        STORM
    }

    public HeldOpening {
        if (check == null || correlationId == null || correlationId.isBlank() || finding == null || subject == null || heldAt == null
                || reason == null) {
            throw new IllegalArgumentException("held opening fields are required");
        }
        finding = new Finding(finding.type(), finding.severity(), finding.rootCause(), finding.summary(), finding.entities(),
                finding.since(), Map.of());
        heldAt = heldAt.truncatedTo(ChronoUnit.MILLIS);
    }

    public String alertKey() {
        return finding.alertKey();
    }
}
