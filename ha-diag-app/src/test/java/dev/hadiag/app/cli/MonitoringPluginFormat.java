package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Monitoring Plugins development guidelines ask of a plugin's output, as assertions: the first stdout line is
 * {@code SERVICE STATE - text[ | perfdata]}, the state word matches the exit code, and each performance datum is
 * {@code 'label'=value[UOM];[warn];[crit];[min];[max]} with a unit the guidelines name.
 */
public final class MonitoringPluginFormat {

    private static final List<String> STATES = List.of("OK", "WARNING", "CRITICAL", "UNKNOWN");
    private static final Pattern STATUS_LINE = Pattern.compile("HA-DIAG (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\\n]+?)(?: \\| (.+))?");
    private static final Pattern DATUM = Pattern.compile(
            "('[^'=]+'|[^'= ]+)=(-?[0-9]+(?:\\.[0-9]+)?)(s|ms|us|%|B|KB|MB|TB|c)?(;(-?[0-9.:~@]*)){0,4}");

    private MonitoringPluginFormat() {
    }

    /** Asserts the format and returns the performance data by label (empty when the line has none). */
    public static java.util.Map<String, String> assertPluginOutput(String stdout, int exitCode) {
        assertThat(exitCode).as("exit code").isBetween(0, 3);
        assertThat(stdout).as("stdout").isNotEmpty();
        String first = stdout.split("\n", -1)[0];
        Matcher line = STATUS_LINE.matcher(first);
        assertThat(line.matches()).as("status line: %s", first).isTrue();
        assertThat(line.group(1)).as("state word for exit code %d", exitCode).isEqualTo(STATES.get(exitCode));
        assertThat(line.group(2)).as("summary").isNotBlank();
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>();
        if (line.group(3) != null) {
            for (String datum : line.group(3).trim().split(" +")) {
                Matcher m = DATUM.matcher(datum);
                assertThat(m.matches()).as("performance datum '%s'", datum).isTrue();
                assertThat(data.put(m.group(1), datum)).as("label %s appears once", m.group(1)).isNull();
            }
        }
        return data;
    }
}
