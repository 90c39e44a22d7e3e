package dev.hadiag.core.analysis;

import java.util.Locale;
import java.util.Map;

/** What a finding blames, as the {@code check} output and event payloads name it. */
public record RootCause(Kind kind, String id, String name) {

    /** What kind of thing is blamed; {@link #wire()} is how payloads and alert keys spell it. */
    public enum Kind {
        HA, INTEGRATION, HUB, DEVICE, ENTITY, AUTOMATION, UPDATE, RECORDER, REPAIR, STORM, BACKUP, LOGGER;

        // Spelled once: every alert key is built from it, several times a run per cause (figure 9 of docs/performance.md).
        private final String wire = name().toLowerCase(Locale.ROOT);

        public String wire() {
            return wire;
        }

        /** The kind a payload or report names, e.g. {@code device}. */
        public static Kind fromWire(String wire) {
            for (Kind kind : values()) {
                if (kind.wire().equals(wire)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown root cause kind '" + wire + "'");
        }
    }

    /** The cause of HA-wide alerts: HA itself (unreachable, rejecting the token). */
    public static final RootCause HOME_ASSISTANT = new RootCause(Kind.HA, "homeassistant", "Home Assistant");

    public RootCause {
        if (kind == null || id == null || id.isBlank()) {
            throw new IllegalArgumentException("root cause needs a kind and an id");
        }
        name = name == null || name.isBlank() ? id : name;
    }

    /** This cause as payloads and reports carry it: {@code kind}, {@code id}, {@code name}. */
    public Map<String, Object> toJson() {
        // In one order (Map.of's changes from one JVM to the next): check --json and the event files read the same every run.
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("kind", kind.wire());
        json.put("id", id);
        json.put("name", name);
        return java.util.Collections.unmodifiableMap(json);
    }

    /** This cause as a key, stable across runs, e.g. {@code device:2b32a0cf…}. */
    public String key() {
        return kind.wire() + ":" + id;
    }
}
