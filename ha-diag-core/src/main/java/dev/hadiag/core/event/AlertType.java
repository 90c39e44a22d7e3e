package dev.hadiag.core.event;

import java.util.Optional;

/**
 * The Home Assistant alerts: each opens with its own type and severity and is closed by its resolution
 * type, which carries the open alert's {@code correlation_id}. Resolutions are always {@code info}.
 */
public enum AlertType {
    WEBSOCKET_DEAD(EventTypes.HA_WEBSOCKET_DEAD, Severity.ERROR, EventTypes.HA_WEBSOCKET_RECOVERED),
    AUTH_FAILED(EventTypes.HA_AUTH_FAILED, Severity.ERROR, EventTypes.HA_AUTH_RECOVERED),
    INTEGRATION_FAILED(EventTypes.HA_INTEGRATION_FAILED, Severity.ERROR, EventTypes.HA_INTEGRATION_RECOVERED),
    ENTITY_UNAVAILABLE_LONG(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, Severity.WARNING, EventTypes.HA_ENTITY_RECOVERED),
    AUTOMATION_FAILING(EventTypes.HA_AUTOMATION_FAILING, Severity.WARNING, EventTypes.HA_AUTOMATION_RECOVERED),
    RECORDER_LAG(EventTypes.HA_RECORDER_LAG, Severity.WARNING, EventTypes.HA_RECORDER_RECOVERED),
    SYSTEM_HEALTH_DEGRADED(EventTypes.HA_SYSTEM_HEALTH_DEGRADED, Severity.WARNING, EventTypes.HA_SYSTEM_HEALTH_RECOVERED),
    UPDATE_AVAILABLE(EventTypes.HA_UPDATE_AVAILABLE, Severity.INFO, EventTypes.HA_UPDATE_INSTALLED),
    /** Warning by default; raised to error when Home Assistant rates the issue error or critical. */
    REPAIR_ISSUE(EventTypes.HA_REPAIR_ISSUE, Severity.WARNING, EventTypes.HA_REPAIR_RESOLVED),
    /** A watched entity that stopped reporting while its state stays valid (issue 15). */
    ENTITY_STALE(EventTypes.HA_ENTITY_STALE, Severity.WARNING, EventTypes.HA_ENTITY_REPORTING),
    /** An entity or device going between unavailable and available again and again (issue 15). */
    ENTITY_FLAPPING(EventTypes.HA_ENTITY_FLAPPING, Severity.WARNING, EventTypes.HA_ENTITY_STABLE),
    /** HA's last automatic backup failed (issue 27); HA's repair about it attaches to this alert. */
    BACKUP_FAILED(EventTypes.HA_BACKUP_FAILED, Severity.WARNING, EventTypes.HA_BACKUP_SUCCEEDED),
    /** The newest backup is older than {@code checks.backups.max_age} (issue 27). */
    BACKUP_OVERDUE(EventTypes.HA_BACKUP_OVERDUE, Severity.WARNING, EventTypes.HA_BACKUP_CURRENT),
    /** A backup location (agent) the newest backup did not reach (issue 27). */
    BACKUP_AGENT_FAILED(EventTypes.HA_BACKUP_AGENT_FAILED, Severity.WARNING, EventTypes.HA_BACKUP_AGENT_RECOVERED),
    /** No backup at all and no schedule: a notice, once (issue 27). */
    BACKUPS_MISSING(EventTypes.HA_BACKUPS_MISSING, Severity.INFO, EventTypes.HA_BACKUPS_PRESENT),
    /** A device whose battery is below its threshold, before it dies (issue 27). */
    BATTERY_LOW(EventTypes.HA_BATTERY_LOW, Severity.WARNING, EventTypes.HA_BATTERY_OK),
    /**
     * An integration (else a logger) writing new errors to HA's own log while nothing else shows it (issue 27); raised to
     * error when one is CRITICAL, resolved after the check's quiet period without a new one.
     */
    LOG_ERRORS(EventTypes.HA_LOG_ERRORS, Severity.WARNING, EventTypes.HA_LOG_ERRORS_STOPPED),
    /** The storm guard's own alert: one run opened more alerts of one type than it writes. */
    ALERT_STORM(EventTypes.HA_ALERT_STORM, Severity.WARNING, EventTypes.HA_ALERT_STORM_RESOLVED);

    private final String type;
    private final Severity defaultSeverity;
    private final String resolutionType;

    AlertType(String type, Severity defaultSeverity, String resolutionType) {
        this.type = type;
        this.defaultSeverity = defaultSeverity;
        this.resolutionType = resolutionType;
    }

    /** The event type that opens the alert. */
    public String type() {
        return type;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** The event type that resolves the alert, emitted with severity {@code info}. */
    public String resolutionType() {
        return resolutionType;
    }

    /** The alert opened by an event type, if it is one. */
    public static Optional<AlertType> fromType(String type) {
        for (AlertType alert : values()) {
            if (alert.type.equals(type)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /** The alert closed by a resolution event type, if it is one. */
    public static Optional<AlertType> fromResolutionType(String type) {
        for (AlertType alert : values()) {
            if (alert.resolutionType.equals(type)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }
}
