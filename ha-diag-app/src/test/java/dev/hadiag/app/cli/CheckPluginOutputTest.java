package dev.hadiag.app.cli;

import static dev.hadiag.app.cli.MonitoringPluginFormat.assertPluginOutput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} as a Nagios/Icinga plugin: a status line on stdout and the right exit code on every path. */
class CheckPluginOutputTest {

    private static final Instant NOW = Instant.parse("2026-11-24T06:00:00Z");

    @TempDir
    Path dir;

    private Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HA_URL", "http://127.0.0.1:" + closedPort());
        env.put("HA_TOKEN", "not-a-real-token");
        env.put("HA_DIAG_DB", dir.resolve("check.db").toString());
        env.put("HA_DIAG_EVENTS_DIR", dir.resolve("events").toString());
        return env;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void an_unknown_option_is_unknown_with_a_status_line_not_critical() throws IOException {
        CliRun run = CliRun.run(env(), NOW, "check", "--bogus");
        assertThat(run.exitCode()).isEqualTo(3);
        assertPluginOutput(run.out(), run.exitCode());
        assertThat(run.outLines().get(0)).contains("usage").contains("--bogus");
    }

    @Test
    void an_invalid_configuration_is_unknown_with_the_first_problem_on_the_status_line() throws IOException {
        Map<String, String> env = env();
        env.remove("HA_URL");
        CliRun run = CliRun.run(env, NOW, "check");
        assertThat(run.exitCode()).isEqualTo(3);
        assertPluginOutput(run.out(), run.exitCode());
        assertThat(run.outLines().get(0)).contains("invalid configuration: 1 problem,").contains("ha_url");
        assertThat(run.err()).contains("ha_url");
    }

    @Test
    void the_help_names_every_built_in_check() throws IOException {
        CliRun run = CliRun.run(env(), NOW, "check", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().replaceAll("\\s+", " ")).contains(String.join(", ", dev.hadiag.core.check.BuiltInCheck.names()));
    }

    @Test
    void an_unknown_check_name_is_unknown() throws IOException {
        CliRun run = CliRun.run(env(), NOW, "check", "nope");
        assertThat(run.exitCode()).isEqualTo(3);
        assertPluginOutput(run.out(), run.exitCode());
        assertThat(run.outLines().get(0)).contains("unknown check nope");
    }

    @Test
    void a_database_that_cannot_be_opened_is_unknown() throws IOException {
        Map<String, String> env = env();
        env.put("HA_DIAG_DB", "/proc/ha-diag-cannot-be-here/check.db");
        CliRun run = CliRun.run(env, NOW, "check", "heartbeat");
        assertThat(run.exitCode()).isEqualTo(3);
        assertPluginOutput(run.out(), run.exitCode());
    }

    @Test
    void an_unreachable_home_assistant_is_critical_with_performance_data() throws IOException {
        CliRun run = CliRun.run(env(), NOW, "check", "heartbeat", "--no-emit");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        Map<String, String> perfdata = assertPluginOutput(run.out(), run.exitCode());
        assertThat(perfdata).containsKeys("heartbeat_duration", "heartbeat_findings", "open_alerts");
        assertThat(perfdata.get("heartbeat_findings")).isEqualTo("heartbeat_findings=1;;;0");
        assertThat(run.outLines().get(0)).startsWith("HA-DIAG CRITICAL - 1 check, 1 finding, 0 not run: ");
    }

    @Test
    void the_status_line_counts_with_plurals_names_the_worst_finding_and_carries_every_measure() {
        Finding warning = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, "d1", "Kitchen plug"),
                "Kitchen plug | unavailable", List.of("sensor.a", "sensor.b"), NOW, Map.of());
        List<CheckReport> reports = List.of(
                new CheckReport("heartbeat", CheckStatus.OK, "", "", List.of(), NOW, Duration.ofMillis(12), 0),
                new CheckReport("unavailable_entities", CheckStatus.WARNING, "", "", List.of(warning), NOW, Duration.ofMillis(1500), 1,
                        Map.of("unavailable_entities", 2L)));
        String line = PluginOutput.statusLine(1, reports, 1);
        assertThat(line).startsWith("HA-DIAG WARNING - 2 checks, 1 finding, 0 not run: Kitchen plug / unavailable | ");
        Map<String, String> perfdata = assertPluginOutput(line, 1);
        assertThat(perfdata.values()).containsExactly("heartbeat_duration=0.012s;;;0", "heartbeat_findings=0;;;0",
                "unavailable_entities_duration=1.500s;;;0", "unavailable_entities_findings=1;;;0", "open_alerts=1;;;0",
                "unavailable_entities=2;;;0");
    }
}
