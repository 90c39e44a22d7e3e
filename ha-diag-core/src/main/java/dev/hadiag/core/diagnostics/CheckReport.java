package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of a check found, as the CLI report, {@code /trigger} and the history show it.
 *
 * @param reason        why the check was skipped or failed, else empty
 * @param note          what the check adds for a reader (HA's version, counts), may be empty
 * @param eventsEmitted events this run wrote (openings, repeats, resolutions)
 * @param measures      counts the check took of what it saw (e.g. {@code unavailable_entities}), for plugin
 *                      performance data and metrics; empty when it saw nothing to count
 */
public record CheckReport(String check, Status status, String reason, String note, List<Finding> findings,
        Instant startedAt, Duration duration, int eventsEmitted, Map<String, Long> measures) {

    /** The outcome as the spec's {@code status} words and the Nagios convention see it. */
    public enum Status {
        OK, WARNING, ERROR, SKIPPED, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The worst severity among findings decides: info is still ok (an update is news, not a problem). */
        static Status of(List<Finding> findings) {
            Status status = OK;
            for (Finding finding : findings) {
                if (finding.severity() == Severity.ERROR || finding.severity() == Severity.CRITICAL) {
                    return ERROR;
                }
                if (finding.severity() == Severity.WARNING) {
                    status = WARNING;
                }
            }
            return status;
        }
    }

    public CheckReport {
        reason = reason == null ? "" : reason;
        note = note == null ? "" : note;
        findings = List.copyOf(findings);
        measures = Map.copyOf(measures);
    }

    public CheckReport(String check, Status status, String reason, String note, List<Finding> findings, Instant startedAt,
            Duration duration, int eventsEmitted) {
        this(check, status, reason, note, findings, startedAt, duration, eventsEmitted, Map.of());
    }
}
