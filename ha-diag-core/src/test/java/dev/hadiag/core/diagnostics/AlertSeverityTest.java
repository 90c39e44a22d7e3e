package dev.hadiag.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one rule the page, the relay's "Problem" sensor and the listing rank an open alert by when no event is read. */
class AlertSeverityTest {

    private static final Instant T0 = Instant.parse("2026-12-07T18:00:00Z");

    private static Finding finding(AlertType type, Severity severity, String id) {
        return new Finding(type, severity, new RootCause(RootCause.Kind.LOGGER, id, id), "s", List.of(), T0, Map.of());
    }

    private static OpenAlert open(Finding finding) {
        return new OpenAlert(finding.alertKey(), "ha_log_errors", finding.type(), "c-" + finding.rootCause().id(), T0, T0, List.of());
    }

    private static CheckReport report(String check, Finding... findings) {
        return new CheckReport(check, CheckStatus.WARNING, "", "", List.of(findings), T0, Duration.ZERO, 0, Map.of());
    }

    @Test
    void an_alert_its_check_raised_above_its_type_default_is_ranked_at_what_the_check_found_last() {
        Finding raised = finding(AlertType.LOG_ERRORS, Severity.ERROR, "homeassistant.components.zha");
        Map<String, Finding> current = AlertListing.currentFindings(List.of(report("ha_log_errors", raised)));

        assertThat(AlertListing.severity(open(raised), current)).isEqualTo(Severity.ERROR);
    }

    @Test
    void an_alert_no_latest_run_found_is_ranked_at_its_type_default() {
        Finding gone = finding(AlertType.LOG_ERRORS, Severity.ERROR, "custom_components.old");

        assertThat(AlertListing.severity(open(gone), AlertListing.currentFindings(List.of(report("ha_log_errors")))))
                .isEqualTo(AlertType.LOG_ERRORS.defaultSeverity());
    }

    @Test
    void the_current_findings_hold_every_check_finding_by_its_alert_key() {
        Finding a = finding(AlertType.LOG_ERRORS, Severity.WARNING, "a");
        Finding b = finding(AlertType.LOG_ERRORS, Severity.CRITICAL, "b");

        assertThat(AlertListing.currentFindings(List.of(report("one", a), report("two", b))))
                .containsOnlyKeys(a.alertKey(), b.alertKey()).containsEntry(b.alertKey(), b);
    }
}
