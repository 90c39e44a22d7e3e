package dev.hadiag.core.ha;

import dev.hadiag.core.event.JsonValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One entity's state as {@code /api/states} reports it.
 *
 * @param lastReported when the integration last reported this state, even unchanged ({@code last_reported},
 *                     HA 2024.4+); HA before 2024.4 does not say, and there it is {@code lastUpdated}, the
 *                     last time HA wrote anything of it
 */
public record EntityState(String entityId, String state, Map<String, Object> attributes, Instant lastChanged,
        Instant lastUpdated, Instant lastReported) {

    public static final String UNAVAILABLE = "unavailable";
    public static final String UNKNOWN = "unknown";

    public EntityState {
        Strings.required("entity_id", entityId);
        state = Strings.orEmpty(state);
        attributes = JsonValues.copyObject(attributes, "attributes");
        if (lastChanged == null || lastUpdated == null || lastReported == null) {
            throw new IllegalArgumentException("last_changed, last_updated and last_reported are required");
        }
    }

    /** A state of HA before 2024.4, which has no {@code last_reported}. */
    public EntityState(String entityId, String state, Map<String, Object> attributes, Instant lastChanged, Instant lastUpdated) {
        this(entityId, state, attributes, lastChanged, lastUpdated, lastUpdated);
    }

    /** This state with only the named attributes (those it has). */
    public EntityState withOnlyAttributes(Set<String> names) {
        Map<String, Object> kept = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (names.contains(name)) {
                kept.put(name, value);
            }
        });
        return kept.size() == attributes.size() ? this : new EntityState(entityId, state, kept, lastChanged, lastUpdated, lastReported);
    }

    /** The part before the dot: {@code sensor} for {@code sensor.kitchen}. */
    public String domain() {
        return entityId.substring(0, Math.max(0, entityId.indexOf('.')));
    }

    public boolean isUnavailable() {
        return UNAVAILABLE.equals(state);
    }

    /**
     * HA wrote this placeholder at start because the entity's integration never created it this run
     * ({@code restored: true}): a sign of an integration or config entry problem, not a device one.
     */
    public boolean isRestoredPlaceholder() {
        return Boolean.TRUE.equals(attributes.get("restored"));
    }

    /** {@code friendly_name}, or the entity id when HA gives none. */
    public String friendlyName() {
        return attributes.get("friendly_name") instanceof String name && !name.isBlank() ? name : entityId;
    }
}
