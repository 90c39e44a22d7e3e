package dev.hadiag.core.ha;

import java.util.Locale;

/** The state of a config entry (an integration instance). */
public enum ConfigEntryState {
    LOADED, SETUP_ERROR, MIGRATION_ERROR, SETUP_RETRY, NOT_LOADED, FAILED_UNLOAD, SETUP_IN_PROGRESS,
    UNLOAD_IN_PROGRESS,
    /** A value this client does not know (a newer HA). */
    UNKNOWN;

    public static ConfigEntryState fromWire(String value) {
        try {
            return value == null ? UNKNOWN : valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /**
     * Whether the entry is failing. {@code setup_in_progress} counts: HA passes through it between retries,
     * and a retry is not a recovery.
     */
    public boolean isFailing() {
        return this == SETUP_ERROR || this == SETUP_RETRY || this == MIGRATION_ERROR || this == FAILED_UNLOAD
                || this == SETUP_IN_PROGRESS;
    }
}
