package dev.hadiag.core.check;

import java.util.Arrays;
import java.util.List;

/**
 * The names of the built-in checks as constants, for code that compares names; {@link BuiltInCheck} is the set
 * ({@code CheckNamesTest} keeps the two equal).
 */
public final class CheckNames {

    public static final String HEARTBEAT = "heartbeat";
    public static final String UNAVAILABLE_ENTITIES = "unavailable_entities";
    public static final String SYSTEM_HEALTH = "system_health";
    public static final String AUTOMATION_FAILURES = "automation_failures";
    public static final String UPDATES_AVAILABLE = "updates_available";
    public static final String RECORDER = "recorder";
    public static final String REPAIRS = "repairs";
    public static final String STALE_ENTITIES = "stale_entities";
    public static final String FLAPPING = "flapping";
    public static final String BACKUPS = "backups";
    public static final String LOW_BATTERIES = "low_batteries";
    public static final String HA_LOG_ERRORS = "ha_log_errors";

    /** Every built-in check's name, in the order reports list them. */
    public static final List<String> ALL = Arrays.stream(BuiltInCheck.values()).map(BuiltInCheck::wire).toList();

    private CheckNames() {
    }
}
