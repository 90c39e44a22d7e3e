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

    private final StubAgentView agent = new StubAgentView().node("piha")
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
        return url(Optional.empty());
    }

    private String url(Optional<String> apiToken) {
        api = HttpApi.builder(agent, Clock.fixed(NOW, ZoneOffset.UTC)).apiToken(apiToken.orElse("")).build();
        api.start("127.0.0.1", 0);
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
    void trigger_runs_the_named_checks_in_the_agent_now_and_prints_their_new_results() {
        List<String> triggered = new java.util.concurrent.CopyOnWriteArrayList<>();
        agent.trigger(check -> {
            triggered.add(check);
            return new CheckReport(check, CheckStatus.ERROR, "Home Assistant is unreachable: connection refused", "", List.of(),
                    NOW.plusSeconds(5), Duration.ofMillis(3), 0);
        });
        CliRun run = CliRun.run(Map.of(), NOW, "check", "--agent", url(), "--trigger", "heartbeat");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertPluginOutput(run.out(), run.exitCode());
        assertThat(triggered).containsExactly("heartbeat");
        assertThat(run.outLines().get(0)).startsWith("HA-DIAG CRITICAL - 1 check, 0 findings, 0 not run").contains("open_alerts=1;;;0");
        assertThat(run.out()).contains("heartbeat  error    Home Assistant is unreachable: connection refused");
    }

    @Test
    void trigger_sends_HA_DIAG_API_TOKEN_where_the_agent_wants_one_and_says_so_when_it_is_missing() {
        agent.trigger(check -> new CheckReport(check, CheckStatus.OK, "", "answers", List.of(), NOW, Duration.ofMillis(3), 0));
        String url = url(Optional.of("s3cret-api-token"));
        CliRun withToken = CliRun.run(Map.of("HA_DIAG_API_TOKEN", "s3cret-api-token"), NOW, "check", "--agent", url, "--trigger", "heartbeat");
        assertThat(withToken.exitCode()).as(withToken.out() + withToken.err()).isZero();
        assertThat(withToken.outLines().get(0)).startsWith("HA-DIAG OK - 1 check, 0 findings, 0 not run");

        CliRun without = CliRun.run(Map.of(), NOW, "check", "--agent", url, "--trigger", "heartbeat");
        assertThat(without.exitCode()).isEqualTo(3);
        assertPluginOutput(without.out(), without.exitCode());
        assertThat(without.outLines().get(0)).startsWith("HA-DIAG UNKNOWN - the agent answered HTTP 401 to POST /trigger/heartbeat")
                .contains("set HA_DIAG_API_TOKEN");
        assertThat(without.out() + without.err()).doesNotContain("s3cret-api-token");
    }

    @Test
    void trigger_without_names_or_without_an_agent_is_a_usage_error() {
        CliRun noNames = CliRun.run(Map.of(), NOW, "check", "--agent", url(), "--trigger");
        assertThat(noNames.exitCode()).isEqualTo(3);
        assertThat(noNames.outLines().get(0)).isEqualTo("HA-DIAG UNKNOWN - --trigger needs the names of the checks to run now, e.g. heartbeat");
        CliRun noAgent = CliRun.run(Map.of(), NOW, "check", "--trigger", "heartbeat");
        assertThat(noAgent.exitCode()).isEqualTo(3);
        assertThat(noAgent.outLines().get(0)).isEqualTo("HA-DIAG UNKNOWN - usage: --trigger needs --agent URL");
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
