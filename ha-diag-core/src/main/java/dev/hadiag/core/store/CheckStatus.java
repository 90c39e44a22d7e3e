package dev.hadiag.core.store;

import java.util.Locale;

/** How a run of a check ended, as reports, the history, the events' {@code status} words (docs/events.md) and Nagios see it. */
public enum CheckStatus {
    OK, WARNING, ERROR, SKIPPED, FAILED;

    /** The word reports and events use: {@code ok}, {@code warning}, {@code error}, {@code skipped}, {@code failed}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
