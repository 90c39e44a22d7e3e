package dev.hadiag.core.store;

import dev.hadiag.core.event.AlertType;
import java.time.Instant;
import java.util.List;

/**
 * An alert that was emitted and not yet resolved; the lifecycle's durable state, one per alert key.
 *
 * @param entities the entities the alert covered when last emitted, so a higher cause can absorb it
 */
public record OpenAlert(String alertKey, String check, AlertType type, String correlationId, Instant openedAt,
        Instant lastSentAt, List<String> entities) {

    public OpenAlert {
        if (alertKey == null || alertKey.isBlank() || check == null || type == null || correlationId == null
                || openedAt == null || lastSentAt == null) {
            throw new IllegalArgumentException("open alert fields are required");
        }
        entities = List.copyOf(entities);
    }

    /** The same alert, emitted again at {@code at}. */
    public OpenAlert sentAgain(Instant at) {
        return new OpenAlert(alertKey, check, type, correlationId, openedAt, at, entities);
    }
}
