package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.check.HaSeen;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one run of a check found, as the CLI report, {@code /trigger} and the history show it.
 *
 * @param reason        why the check was skipped or failed, else empty
 * @param note          what the check adds for a reader (HA's version, counts), may be empty
 * @param eventsEmitted events this run wrote (openings, repeats, resolutions)
 * @param measures      counts the check took of what it saw (e.g. {@code unavailable_entities}), for plugin
 *                      performance data and metrics; empty when it saw nothing to count
 * @param haSeen        what the run saw of HA itself (the heartbeat's answer and HA's core state); not in the report's JSON
 */
public record CheckReport(String check, CheckStatus status, String reason, String note, List<Finding> findings,
        Instant startedAt, Duration duration, int eventsEmitted, Map<String, Long> measures, HaSeen haSeen) {

    public CheckReport {
        reason = reason == null ? "" : reason;
        note = note == null ? "" : note;
        findings = List.copyOf(findings);
        measures = Map.copyOf(measures);
        haSeen = haSeen == null ? HaSeen.NOT_LOOKED : haSeen;
    }

    public CheckReport(String check, CheckStatus status, String reason, String note, List<Finding> findings, Instant startedAt,
            Duration duration, int eventsEmitted, Map<String, Long> measures) {
        this(check, status, reason, note, findings, startedAt, duration, eventsEmitted, measures, HaSeen.NOT_LOOKED);
    }

    public CheckReport(String check, CheckStatus status, String reason, String note, List<Finding> findings, Instant startedAt,
            Duration duration, int eventsEmitted) {
        this(check, status, reason, note, findings, startedAt, duration, eventsEmitted, Map.of());
    }

    /** The report of a run that ended in {@code outcome}. */
    public static CheckReport of(String check, CheckOutcome outcome, Instant started, Duration took, int emitted) {
        if (outcome instanceof CheckOutcome.Completed completed) {
            CheckStatus status = statusOf(completed.findings());
            // An error says why (HA answering 500, a stalled answer): /health shows only the reason.
            String reason = status == CheckStatus.ERROR ? completed.findings().stream()
                    .filter(f -> f.severity() == Severity.ERROR || f.severity() == Severity.CRITICAL)
                    .map(Finding::summary).findFirst().orElse("") : "";
            return new CheckReport(check, status, reason, completed.note(), completed.findings(), started, took, emitted,
                    completed.measures(), completed.haSeen());
        }
        if (outcome instanceof CheckOutcome.Skipped skipped) {
            return new CheckReport(check, CheckStatus.SKIPPED, skipped.reason(), "", List.of(), started, took, emitted);
        }
        if (outcome instanceof CheckOutcome.Failed failed) {
            return new CheckReport(check, CheckStatus.FAILED, failed.reason(), "", List.of(), started, took, emitted);
        }
        throw new IllegalStateException("unexpected check outcome " + outcome.getClass().getName());
    }

    /** The worst severity among findings decides: info is still ok (an update is news, not a problem). */
    private static CheckStatus statusOf(List<Finding> findings) {
        CheckStatus status = CheckStatus.OK;
        for (Finding finding : findings) {
            if (finding.severity() == Severity.ERROR || finding.severity() == Severity.CRITICAL) {
                return CheckStatus.ERROR;
            }
            if (finding.severity() == Severity.WARNING) {
                status = CheckStatus.WARNING;
            }
        }
        return status;
    }
}
