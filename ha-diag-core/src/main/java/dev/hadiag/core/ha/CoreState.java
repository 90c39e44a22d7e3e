package dev.hadiag.core.ha;

import java.util.Locale;

/** Home Assistant's core run state ({@code /api/config} {@code state}). */
public enum CoreState {
    NOT_RUNNING, STARTING, RUNNING, STOPPING, FINAL_WRITE, STOPPED,
    /** A value this client does not know (a newer HA). */
    UNKNOWN;

    public static CoreState fromWire(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Answering but still setting up: neither down nor healthy, so checks that need a running HA wait. */
    public boolean isStarting() {
        return this == NOT_RUNNING || this == STARTING;
    }
}
