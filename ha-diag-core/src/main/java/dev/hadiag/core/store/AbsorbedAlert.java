package dev.hadiag.core.store;

import java.time.Instant;

/**
 * An alert resolved because a higher cause took it over ({@code absorbed_by}): if its own cause shows again
 * while it has lasted since before the absorption, it is the same incident and reopens with the same id.
 */
public record AbsorbedAlert(String alertKey, String correlationId, Instant resolvedAt, String absorbedBy) {

    public AbsorbedAlert {
        if (alertKey == null || correlationId == null || resolvedAt == null || absorbedBy == null) {
            throw new IllegalArgumentException("absorbed alert fields are required");
        }
    }
}
