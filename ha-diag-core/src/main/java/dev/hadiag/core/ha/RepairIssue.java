package dev.hadiag.core.ha;

import dev.hadiag.core.event.JsonValues;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An active repair issue ({@code repairs/list_issues}). Absent text is empty.
 *
 * @param createdOrNull when HA created the issue; null when HA did not say (read it with {@link #created()})
 */
public record RepairIssue(String domain, String issueId, String severity, boolean ignored, boolean fixable,
        String translationKey, Map<String, Object> translationPlaceholders, String breaksInHaVersion,
        Instant createdOrNull, String learnMoreUrl) {

    public RepairIssue {
        Strings.required("domain", domain);
        Strings.required("issue_id", issueId);
        severity = Strings.orEmpty(severity);
        translationKey = Strings.orEmpty(translationKey);
        translationPlaceholders = JsonValues.copyObject(translationPlaceholders, "translation_placeholders");
        breaksInHaVersion = Strings.orEmpty(breaksInHaVersion);
        learnMoreUrl = Strings.orEmpty(learnMoreUrl);
    }

    /** When HA created the issue, if it said. */
    public Optional<Instant> created() {
        return Optional.ofNullable(createdOrNull);
    }
}
