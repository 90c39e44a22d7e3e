package dev.hadiag.core.event;

import java.util.List;

/**
 * Well-known event types. The model is not tied to them: any filename-safe type is a valid event type,
 * because other homelab tools embed this library with types of their own.
 */
public final class EventTypes {

    private EventTypes() {
    }

    // The platform's normalized types (homelab event-system seed).
    public static final String DEPLOYMENT_STARTED = "deployment_started";
    public static final String DEPLOYMENT_COMPLETED = "deployment_completed";
    public static final String DEPLOYMENT_FAILED = "deployment_failed";
    public static final String SERVICE_UNHEALTHY = "service_unhealthy";
    public static final String SERVICE_RECOVERED = "service_recovered";
    public static final String NODE_OFFLINE = "node_offline";
    public static final String NODE_ONLINE = "node_online";
    public static final String HEALTHCHECK_FAILED = "healthcheck_failed";
    public static final String REMEDIATION_STARTED = "remediation_started";
    public static final String REMEDIATION_COMPLETED = "remediation_completed";

    /** The platform's normalized types, in the seed's order. */
    public static final List<String> PLATFORM = List.of(
            DEPLOYMENT_STARTED, DEPLOYMENT_COMPLETED, DEPLOYMENT_FAILED, SERVICE_UNHEALTHY, SERVICE_RECOVERED,
            NODE_OFFLINE, NODE_ONLINE, HEALTHCHECK_FAILED, REMEDIATION_STARTED, REMEDIATION_COMPLETED);

    // Home Assistant alerts and their resolutions (see AlertType for the pairing and severities).
    public static final String HA_WEBSOCKET_DEAD = "ha_websocket_dead";
    public static final String HA_WEBSOCKET_RECOVERED = "ha_websocket_recovered";
    public static final String HA_AUTH_FAILED = "ha_auth_failed";
    public static final String HA_AUTH_RECOVERED = "ha_auth_recovered";
    public static final String HA_INTEGRATION_FAILED = "ha_integration_failed";
    public static final String HA_INTEGRATION_RECOVERED = "ha_integration_recovered";
    public static final String HA_ENTITY_UNAVAILABLE_LONG = "ha_entity_unavailable_long";
    public static final String HA_ENTITY_RECOVERED = "ha_entity_recovered";
    public static final String HA_AUTOMATION_FAILING = "ha_automation_failing";
    public static final String HA_AUTOMATION_RECOVERED = "ha_automation_recovered";
    public static final String HA_RECORDER_LAG = "ha_recorder_lag";
    public static final String HA_RECORDER_RECOVERED = "ha_recorder_recovered";
    public static final String HA_SYSTEM_HEALTH_DEGRADED = "ha_system_health_degraded";
    public static final String HA_SYSTEM_HEALTH_RECOVERED = "ha_system_health_recovered";
    public static final String HA_UPDATE_AVAILABLE = "ha_update_available";
    public static final String HA_UPDATE_INSTALLED = "ha_update_installed";
    public static final String HA_REPAIR_ISSUE = "ha_repair_issue";
    public static final String HA_REPAIR_RESOLVED = "ha_repair_resolved";
    public static final String HA_ENTITY_STALE = "ha_entity_stale";
    public static final String HA_ENTITY_REPORTING = "ha_entity_reporting";
    public static final String HA_ENTITY_FLAPPING = "ha_entity_flapping";
    public static final String HA_ENTITY_STABLE = "ha_entity_stable";
    public static final String HA_BACKUP_FAILED = "ha_backup_failed";
    public static final String HA_BACKUP_SUCCEEDED = "ha_backup_succeeded";
    public static final String HA_BACKUP_OVERDUE = "ha_backup_overdue";
    public static final String HA_BACKUP_CURRENT = "ha_backup_current";
    public static final String HA_BACKUP_AGENT_FAILED = "ha_backup_agent_failed";
    public static final String HA_BACKUP_AGENT_RECOVERED = "ha_backup_agent_recovered";
    public static final String HA_BACKUPS_MISSING = "ha_backups_missing";
    public static final String HA_BACKUPS_PRESENT = "ha_backups_present";
    public static final String HA_BATTERY_LOW = "ha_battery_low";
    public static final String HA_BATTERY_OK = "ha_battery_ok";
    public static final String HA_LOG_ERRORS = "ha_log_errors";
    public static final String HA_LOG_ERRORS_STOPPED = "ha_log_errors_stopped";

    /** More openings of one alert type in one run than {@code alerts.max_events_per_run}: see StormGuard. */
    public static final String HA_ALERT_STORM = "ha_alert_storm";
    public static final String HA_ALERT_STORM_RESOLVED = "ha_alert_storm_resolved";

    // Info events that belong to no alert.
    /** HA is back after a restart (announced, or its process gone): the downtime and whether it was planned. */
    public static final String HA_RESTARTED = "ha_restarted";

    // The agent's own audit trail (issue #16): an operator silenced alerts, or a silence ended.
    public static final String HA_DIAG_SILENCE_STARTED = "ha_diag_silence_started";
    public static final String HA_DIAG_SILENCE_ENDED = "ha_diag_silence_ended";
    /** {@code ha-diag notify test}'s event: sent to each destination, never written to the events tree. */
    public static final String HA_DIAG_NOTIFY_TEST = "ha_diag_notify_test";
}
