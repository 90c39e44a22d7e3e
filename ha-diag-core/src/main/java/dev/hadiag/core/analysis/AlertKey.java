package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import java.util.Optional;

/**
 * An alert's key taken apart: its type and its root cause's kind and id, written {@code <type>:<kind>:<id>}
 * (e.g. {@code ha_entity_unavailable_long:device:2b32a0cf…}). The one place a key is formatted and parsed; an id may
 * hold colons itself (a repair's {@code domain/issue_id} does not, an MQTT topic might), so only the first two separate.
 */
public record AlertKey(AlertType type, RootCause.Kind kind, String id) {

    public AlertKey {
        if (type == null || kind == null || id == null) {
            throw new IllegalArgumentException("an alert key needs a type, a kind and an id");
        }
    }

    /** The key of the alert of {@code type} for {@code cause}. */
    public static AlertKey of(AlertType type, RootCause cause) {
        return new AlertKey(type, cause.kind(), cause.id());
    }

    /** The key as stores, events and the API carry it, without building the record (a run formats thousands). */
    public static String format(AlertType type, RootCause cause) {
        return type.type() + ":" + cause.kind().wire() + ":" + cause.id();
    }

    /** A stored or received key taken apart; empty when it is not one of ours (an unknown type or kind, too few parts). */
    public static Optional<AlertKey> parse(String key) {
        int first = key.indexOf(':');
        int second = first < 0 ? -1 : key.indexOf(':', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        Optional<AlertType> type = AlertType.fromType(key.substring(0, first));
        String kind = key.substring(first + 1, second);
        for (RootCause.Kind candidate : RootCause.Kind.values()) {
            if (type.isPresent() && candidate.wire().equals(kind)) {
                return Optional.of(new AlertKey(type.get(), candidate, key.substring(second + 1)));
            }
        }
        return Optional.empty();
    }

    /** {@code <type>:<kind>:<id>}. */
    public String wire() {
        return type.type() + ":" + kind.wire() + ":" + id;
    }

    @Override
    public String toString() {
        return wire();
    }
}
