package dev.hadiag.core.check;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.store.OpenAlert;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cause, one alert across checks: a repair issue HA raises about an automation or an integration that
 * already has an open alert belongs to that alert instead of opening a second incident. A failing automation
 * makes HA raise {@code automation/<entity_id>_service_not_found_…} with the automation in
 * {@code translation_placeholders.entity_id}; an integration's repair carries the integration's domain.
 * Pure: it decides from the issue, the open alerts and the domain of each config entry.
 */
public final class RepairAttachments {

    /** Integration alerts a repair of the same domain joins, in order of preference. */
    private static final List<AlertType> INTEGRATION_ALERTS = List.of(AlertType.INTEGRATION_FAILED, AlertType.ENTITY_UNAVAILABLE_LONG);

    private RepairAttachments() {
    }

    /** The automation a repair is about: {@code translation_placeholders.entity_id}, when it names one. */
    public static Optional<String> automation(RepairIssue issue) {
        return issue.translationPlaceholders().get("entity_id") instanceof String id && id.startsWith("automation.")
                ? Optional.of(id) : Optional.empty();
    }

    /**
     * The open alert a repair issue joins, if any.
     *
     * @param open         every open alert
     * @param entryDomains config entry id → integration domain (only needed for integration alerts)
     */
    public static Optional<String> alertFor(RepairIssue issue, Collection<OpenAlert> open, Map<String, String> entryDomains) {
        if (isBackupFailure(issue)) {
            String key = AlertKey.format(AlertType.BACKUP_FAILED, BackupsCheck.AUTOMATIC);
            return open.stream().map(OpenAlert::alertKey).filter(key::equals).findFirst();
        }
        Optional<String> automation = automation(issue);
        if (automation.isPresent()) {
            String key = new AlertKey(AlertType.AUTOMATION_FAILING, RootCause.Kind.AUTOMATION, automation.get()).wire();
            return open.stream().map(OpenAlert::alertKey).filter(key::equals).findFirst();
        }
        if ("homeassistant".equals(issue.domain())) {
            return Optional.empty(); // HA's own repairs are about HA, not one of its integrations
        }
        for (AlertType type : INTEGRATION_ALERTS) {
            Optional<String> key = open.stream().map(OpenAlert::alertKey)
                    .filter(k -> integrationOf(k, type).filter(entry -> issue.domain().equals(entryDomains.get(entry))).isPresent())
                    .sorted().findFirst();
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    /**
     * HA's repair after a failed automatic backup ({@code backup/automatic_backup_failed}, its translation key
     * naming the stage): the backups check's {@code ha_backup_failed} is the incident, the repair joins it.
     */
    public static boolean isBackupFailure(RepairIssue issue) {
        return "backup".equals(issue.domain()) && issue.issueId().equals("automatic_backup_failed");
    }

    /** Whether any open alert is an integration's: only then are the config entries worth reading. */
    public static boolean anyIntegrationAlert(Collection<OpenAlert> open) {
        return open.stream().anyMatch(a -> INTEGRATION_ALERTS.stream().anyMatch(t -> integrationOf(a.alertKey(), t).isPresent()));
    }

    /** The config entry an alert of {@code type} is about, when the key is an integration's alert of that type. */
    private static Optional<String> integrationOf(String alertKey, AlertType type) {
        return AlertKey.parse(alertKey).filter(key -> key.type() == type && key.kind() == RootCause.Kind.INTEGRATION).map(AlertKey::id);
    }
}
