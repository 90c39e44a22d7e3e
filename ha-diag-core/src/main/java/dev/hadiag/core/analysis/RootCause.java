package dev.hadiag.core.analysis;

/**
 * What a finding blames, as the {@code check} output and event payloads name it.
 *
 * @param kind {@code ha}, {@code integration}, {@code device}, {@code entity}, {@code automation},
 *             {@code update}, {@code recorder} or {@code repair}
 */
public record RootCause(String kind, String id, String name) {

    /** The cause of HA-wide alerts: HA itself (unreachable, rejecting the token). */
    public static final RootCause HOME_ASSISTANT = new RootCause("ha", "homeassistant", "Home Assistant");

    public RootCause {
        if (kind == null || kind.isBlank() || id == null || id.isBlank()) {
            throw new IllegalArgumentException("root cause needs a kind and an id");
        }
        name = name == null || name.isBlank() ? id : name;
    }

    /** This cause as a key, stable across runs, e.g. {@code device:2b32a0cf…}. */
    public String key() {
        return kind + ":" + id;
    }
}
