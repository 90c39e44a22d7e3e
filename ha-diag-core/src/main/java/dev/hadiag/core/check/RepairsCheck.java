package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.RepairAttachment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Active repair issues ({@code repairs/list_issues}): one {@code ha_repair_issue} per issue, warning, or
 * error when HA rates it error or critical. Issues the operator dismissed in HA, and those whose
 * {@code domain/issue_id} matches an ignore glob, are not reported. An issue about an automation or an
 * integration that already has an open alert is attached to that alert instead ({@link RepairAttachments}):
 * recorded in the store ({@link DiagnosticStore#repairAttachments()}), shown in this check's report and in the alert's
 * later events, never a second incident.
 */
public final class RepairsCheck implements Check {

    /** The measure of how many repair issues are attached to other alerts this run. */
    public static final String ATTACHED_MEASURE = "attached_repair_issues";

    private final Globs ignore;
    /** Where the open alerts are read and the attachments recorded; null: nothing is attached (no store). */
    private final DiagnosticStore store;

    /** Whether the backups check runs and so reports HA's failed automatic backup (the repair only joins it). */
    private final boolean backupsCheckReports;

    /**
     * @param ignore globs on {@code domain/issue_id}, e.g. {@code homeassistant/python_version}
     * @param store  where the open alerts are read and the attachments recorded
     */
    public RepairsCheck(List<String> ignore, DiagnosticStore store) {
        this(ignore, store, false);
    }

    /**
     * @param backupsCheckReports the backups check is enabled: HA's {@code backup/automatic_backup_failed} is never
     *                            an incident of its own, it attaches to {@code ha_backup_failed} once that is open
     *                            (in the same run the repairs check runs first, so it waits for the next)
     */
    public RepairsCheck(List<String> ignore, DiagnosticStore store, boolean backupsCheckReports) {
        this.ignore = Globs.of(ignore);
        this.store = Objects.requireNonNull(store, "store");
        this.backupsCheckReports = backupsCheckReports;
    }

    @Override
    public String name() {
        return BuiltInCheck.REPAIRS.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        List<RepairIssue> issues = ha.repairIssues();
        List<OpenAlert> open = store.allOpenAlerts();
        Map<String, String> entryDomains = new HashMap<>();
        if (!issues.isEmpty() && RepairAttachments.anyIntegrationAlert(open)) {
            ha.configEntries().forEach(entry -> entryDomains.put(entry.entryId(), entry.domain()));
        }
        Map<RepairAttachment, Instant> before = store.repairAttachments();
        Map<RepairAttachment, Instant> attached = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        List<Finding> joined = new ArrayList<>();
        int deferred = 0;
        for (RepairIssue issue : issues) {
            String id = issue.domain() + "/" + issue.issueId();
            if (issue.ignored() || ignore.matchesAny(id)) {
                continue;
            }
            List<String> entities = RepairAttachments.automation(issue).map(List::of).orElse(List.of());
            Optional<String> alert = RepairAttachments.alertFor(issue, open, entryDomains);
            if (alert.isPresent()) {
                RepairAttachment attachment = new RepairAttachment(alert.get(), id);
                attached.put(attachment, before.getOrDefault(attachment, context.now()));
                // The automation's alert covers it: an ha_repair_issue opened before that alert is resolved as absorbed by it.
                RepairAttachments.automation(issue).ifPresent(automation -> joined.add(new Finding(AlertType.AUTOMATION_FAILING,
                        Severity.WARNING, new RootCause(RootCause.Kind.AUTOMATION, automation, automation), "", entities, context.now(), Map.of())));
                if (RepairAttachments.isBackupFailure(issue)) {
                    joined.add(new Finding(AlertType.BACKUP_FAILED, Severity.WARNING, BackupsCheck.AUTOMATIC, "", List.of(), context.now(), Map.of()));
                }
                continue;
            }
            if (backupsCheckReports && RepairAttachments.isBackupFailure(issue)) {
                deferred++;
                continue;
            }
            String haSeverity = issue.severity().toLowerCase(Locale.ROOT);
            Severity severity = haSeverity.equals("error") || haSeverity.equals("critical") ? Severity.ERROR : Severity.WARNING;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("domain", issue.domain());
            details.put("issue_id", issue.issueId());
            details.put("ha_severity", issue.severity());
            details.put("translation_key", issue.translationKey());
            details.put("translation_placeholders", issue.translationPlaceholders());
            details.put("breaks_in_ha_version", issue.breaksInHaVersion());
            details.put("is_fixable", issue.fixable());
            details.put("learn_more_url", issue.learnMoreUrl());
            String name = issue.translationKey().isEmpty() ? id : issue.domain() + " " + issue.translationKey();
            findings.add(new Finding(AlertType.REPAIR_ISSUE, severity, new RootCause(RootCause.Kind.REPAIR, id, name),
                    "Repair issue " + id + " (" + (issue.severity().isEmpty() ? "no severity" : issue.severity()) + ")",
                    entities, issue.created().orElse(context.now()), details));
        }
        if (!attached.equals(before)) {
            store.replaceRepairAttachments(attached);
        }
        String note = issues.size() + " repair issues in HA" + (attached.isEmpty() ? ""
                : "; " + attached.size() + " attached to open alerts: " + attached.keySet().stream()
                        .map(a -> a.issue() + " -> " + a.alertKey()).collect(Collectors.joining(", ")))
                + (deferred == 0 ? "" : "; " + deferred + " left to the backups check");
        return new CheckOutcome.Completed(findings, joined, note, Map.of(ATTACHED_MEASURE, (long) attached.size()));
    }

    /** The repair issues ({@code domain/issue_id}) attached to an alert, from {@link DiagnosticStore#repairAttachments()}. */
    public static List<String> attachedTo(String alertKey, Map<RepairAttachment, Instant> attachments) {
        return attachments.keySet().stream().filter(a -> a.alertKey().equals(alertKey)).map(RepairAttachment::issue).sorted().toList();
    }
}
