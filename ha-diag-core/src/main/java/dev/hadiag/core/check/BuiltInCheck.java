package dev.hadiag.core.check;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks the agent ships, in the order reports list them; {@link #wire()} is the name operators
 * use (an embedding tool may add checks of other names). The one list of their names: a new check is one
 * more entry here.
 */
public enum BuiltInCheck {
    HEARTBEAT, UNAVAILABLE_ENTITIES, SYSTEM_HEALTH, AUTOMATION_FAILURES, UPDATES_AVAILABLE, RECORDER, REPAIRS, STALE_ENTITIES, FLAPPING, LOW_BATTERIES,
    BACKUPS, HA_LOG_ERRORS;

    /** The name in the config, the CLI, {@code /trigger/{check}} and every payload, e.g. {@code system_health}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static final List<String> NAMES = Arrays.stream(values()).map(BuiltInCheck::wire).toList();

    /** Every built-in check's name, in the order reports list them. */
    public static List<String> names() {
        return NAMES;
    }

    /** The built-in check of that name, if there is one. */
    public static Optional<BuiltInCheck> named(String name) {
        return Arrays.stream(values()).filter(check -> check.wire().equals(name)).findFirst();
    }
}
