package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Active repair issues ({@code repairs/list_issues}): one {@code ha_repair_issue} per issue, warning, or
 * error when HA rates it error or critical. Issues the operator dismissed in HA, and those whose
 * {@code domain/issue_id} matches an ignore glob, are not reported.
 */
public final class RepairsCheck implements Check {

    private final Globs ignore;

    /** @param ignore globs on {@code domain/issue_id}, e.g. {@code homeassistant/python_version} */
    public RepairsCheck(List<String> ignore) {
        this.ignore = Globs.of(ignore);
    }

    @Override
    public String name() {
        return CheckNames.REPAIRS;
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        List<RepairIssue> issues = ha.repairIssues();
        List<Finding> findings = new ArrayList<>();
        for (RepairIssue issue : issues) {
            String id = issue.domain() + "/" + issue.issueId();
            if (issue.ignored() || ignore.matchesAny(id)) {
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
                    List.of(), issue.created().orElse(context.now()), details));
        }
        return new CheckOutcome.Completed(findings, List.of(), issues.size() + " repair issues in HA");
    }
}
