package dev.hadiag.core.check;

import java.util.List;

/** The names of the checks, in the order reports list them. */
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

    public static final List<String> ALL = List.of(HEARTBEAT, UNAVAILABLE_ENTITIES, SYSTEM_HEALTH, AUTOMATION_FAILURES,
            UPDATES_AVAILABLE, RECORDER, REPAIRS, STALE_ENTITIES, FLAPPING);

    private CheckNames() {
    }
}
