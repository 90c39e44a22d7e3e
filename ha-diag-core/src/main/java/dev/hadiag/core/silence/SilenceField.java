package dev.hadiag.core.silence;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a silence matcher looks at in an alert. */
public enum SilenceField {
    /** The alert's event type, e.g. {@code ha_entity_unavailable_long}. */
    TYPE,
    /** The alert key, e.g. {@code ha_entity_unavailable_long:device:2b32…}. */
    ALERT_KEY,
    /** Every entity the alert covers (all of them must match). */
    ENTITY,
    /** The device the alert blames: its registry id or its name. */
    DEVICE,
    /** The integration the alert blames or whose device it is: its domain. */
    INTEGRATION,
    /** The hub the alert's device reaches HA through, as far as the alert carries it. */
    HUB,
    /** An HA label of the alert's entities, as far as the alert carries them. */
    LABEL;

    /** The name used in JSON and on the command line. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws InvalidSilenceException naming the valid fields for an unknown one
     */
    public static SilenceField fromWire(String text) {
        for (SilenceField field : values()) {
            if (field.wire().equals(text)) {
                return field;
            }
        }
        throw new InvalidSilenceException("matchers", "unknown field '" + text + "'; fields are " + String.join(", ", wireNames()));
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(SilenceField::wire).toList();
    }
}
