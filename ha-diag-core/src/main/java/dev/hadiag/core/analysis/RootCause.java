package dev.hadiag.core.analysis;

/**
 * What a finding blames, as the {@code check} output and event payloads name it.
 *
 * @param kind {@code ha}, {@code integration}, {@code device}, {@code entity}, {@code automation},
 *             {@code update}, {@code recorder} or {@code repair}
 */
public record RootCause(String kind, String id, String name) {

    public RootCause {
        if (kind == null || kind.isBlank() || id == null || id.isBlank()) {
            throw new IllegalArgumentException("root cause needs a kind and an id");
        }
        name = name == null || name.isBlank() ? id : name;
    }

    /** The alert key of this cause: stable across runs, e.g. {@code device:2b32a0cf…}. */
    public String alertKey() {
        return kind + ":" + id;
    }
}
