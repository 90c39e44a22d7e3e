package dev.hadiag.app.cli;

import static dev.hadiag.app.cli.MonitoringPluginFormat.assertPluginOutput;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.http.AgentView;
import dev.hadiag.http.HttpApi;
import dev.hadiag.http.testing.StubAgentView;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code check --agent URL}: a running agent's latest results as a plugin prints them, read from a real HTTP API. */
class CheckAgentModeTest {

    private static final Instant NOW = Instant.parse("2026-11-24T07:00:00Z");
    private static final Finding PLUG = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, "d1", "Plug"),
            "Device Plug is offline: all 2 entities unavailable", List.of("sensor.a", "sensor.b"), NOW.minusSeconds(900), Map.of("x", 1));

    private HttpApi api;

    private final AgentView agent = new StubAgentView().node("piha")
            .checks(List.of(new AgentView.CheckInfo("heartbeat", true, Duration.ofSeconds(60)),
                    new AgentView.CheckInfo("unavailable_entities", true, Duration.ofSeconds(60)),
                    new AgentView.CheckInfo("recorder", true, Duration.ofSeconds(60))))
            .reports(() -> Map.of("heartbeat", new CheckReport("heartbeat", CheckStatus.OK, "", "answers", List.of(), NOW,
                    Duration.ofMillis(12), 0), "unavailable_entities", new CheckReport("unavailable_entities", CheckStatus.WARNING, "",
                    "", List.of(PLUG), NOW, Duration.ofMillis(250), 1, Map.of("unavailable_entities", 2L))))
            .alerts(() -> List.of(new OpenAlert(PLUG.alertKey(), "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c1", NOW, NOW,
                    PLUG.entities())));

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private String url() {
        api = HttpApi.start(agent, "127.0.0.1", 0, Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
        return "http://127.0.0.1:" + api.port();
    }

    @Test
    void the_agents_latest_results_print_as_the_plugin_with_no_home_assistant_settings() {
        CliRun run = CliRun.run(Map.of(), NOW, "check", "--agent", url());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        Map<String, String> perfdata = assertPluginOutput(run.out(), run.exitCode());
        assertThat(run.outLines().get(0)).startsWith("HA-DIAG WARNING - 2 checks, 1 finding, 0 not run: Device Plug is offline");
        assertThat(perfdata.values()).contains("heartbeat_duration=0.012s;;;0", "unavailable_entities_findings=1;;;0", "open_alerts=1;;;0",
                "unavailable_entities=2;;;0");
    }

    @Test
    void named_checks_narrow_the_results_and_json_keeps_the_check_json_shape() {
        String url = url();
        CliRun heartbeat = CliRun.run(Map.of(), NOW, "check", "heartbeat", "--agent", url);
        assertThat(heartbeat.exitCode()).isZero();
        assertThat(heartbeat.outLines().get(0)).startsWith("HA-DIAG OK - 1 check, 0 findings, 0 not run |");
        CliRun json = CliRun.run(Map.of(), NOW, "check", "--json", "--agent", url);
        assertThat(json.out()).contains("\"alert_key\":\"" + PLUG.alertKey() + "\"", "\"measures\":{\"unavailable_entities\":2}");
        CliRun notYet = CliRun.run(Map.of(), NOW, "check", "recorder", "--agent", url);
        assertThat(notYet.exitCode()).isEqualTo(3);
        assertThat(notYet.outLines().get(0)).isEqualTo("HA-DIAG UNKNOWN - the agent has no result yet for recorder");
    }

    @Test
    void an_agent_that_does_not_answer_is_unknown() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun run = CliRun.run(Map.of(), NOW, "check", "--agent", "http://127.0.0.1:" + closed);
        assertThat(run.exitCode()).isEqualTo(3);
        assertPluginOutput(run.out(), run.exitCode());
        assertThat(run.outLines().get(0)).startsWith("HA-DIAG UNKNOWN - cannot reach the agent at http://127.0.0.1:" + closed);
    }
}
