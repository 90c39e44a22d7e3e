package dev.hadiag.app.cli;

import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.store.CheckStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first line of {@code check} as the Monitoring Plugins guidelines want it:
 * {@code HA-DIAG <STATE> - <summary> | <perfdata>}, perfdata as {@code label=value[UOM];warn;crit;min;max}. Nagios,
 * Icinga and their kin read only this line and the exit code; the lines after it are the long output.
 */
final class PluginOutput {

    static final int OK = 0;
    static final int WARNING = 1;
    static final int CRITICAL = 2;
    static final int UNKNOWN = 3;

    private PluginOutput() {
    }

    static String state(int code) {
        return switch (code) {
            case OK -> "OK";
            case WARNING -> "WARNING";
            case CRITICAL -> "CRITICAL";
            default -> "UNKNOWN";
        };
    }

    /** A status line without performance data: usage and configuration errors, a check that could not start. */
    static String unknown(String summary) {
        return "HA-DIAG UNKNOWN - " + oneLine(summary);
    }

    static String statusLine(int code, List<CheckReport> reports, int openAlerts) {
        return "HA-DIAG " + state(code) + " - " + summary(reports) + " | " + String.join(" ", perfdata(reports, openAlerts));
    }

    static String summary(List<CheckReport> reports) {
        long findings = reports.stream().mapToLong(r -> r.findings().size()).sum();
        long notRun = reports.stream().filter(r -> r.status() == CheckStatus.SKIPPED || r.status() == CheckStatus.FAILED).count();
        String text = count(reports.size(), "check") + ", " + count(findings, "finding") + ", " + notRun + " not run";
        // The worst finding first: a pager shows this line alone.
        return reports.stream().flatMap(r -> r.findings().stream())
                .max((a, b) -> Integer.compare(a.severity().ordinal(), b.severity().ordinal()))
                .map(worst -> text + ": " + oneLine(worst.summary()))
                .orElse(text);
    }

    static List<String> perfdata(List<CheckReport> reports, int openAlerts) {
        List<String> data = new ArrayList<>();
        for (CheckReport report : reports) {
            data.add(report.check() + "_duration=" + String.format(Locale.ROOT, "%.3f", report.duration().toNanos() / 1e9) + "s;;;0");
            data.add(report.check() + "_findings=" + report.findings().size() + ";;;0");
        }
        data.add("open_alerts=" + openAlerts + ";;;0");
        reports.stream().map(r -> r.measures().get(UnavailableEntitiesCheck.UNAVAILABLE_ENTITIES_MEASURE))
                .filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(n -> data.add("unavailable_entities=" + n + ";;;0"));
        return data;
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The status line is one line, and '|' would start the performance data. */
    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').replace('|', '/');
    }
}
