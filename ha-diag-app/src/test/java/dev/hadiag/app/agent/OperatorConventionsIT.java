package dev.hadiag.app.agent;

import static dev.hadiag.app.cli.MonitoringPluginFormat.assertPluginOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent as monitoring tools see it, against a real Home Assistant: a Nagios/Icinga plugin, and a Prometheus target. */
@ExtendWith(HomeAssistantExtension.class)
class OperatorConventionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path RULES = Path.of("..", "deploy", "prometheus", "alerts.yml");

    private final RealHomeAssistant ha;
    private final Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();

    OperatorConventionsIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
    }

    @AfterEach
    void stopEverythingAndRestoreHa() throws Exception {
        for (AutoCloseable process : running) {
            process.close();
        }
        if (ha.canRestart()) {
            ha.startHomeAssistant();
        }
    }

    private Map<String, String> env() throws IOException {
        Path config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, """
                websocket: { grace: 1s }
                checks:
                  heartbeat: { interval: 1s }
                """);
        return AgentProcess.environment(ha, dir, "ops-it", config);
    }

    @Test
    void check_is_a_monitoring_plugin_with_performance_data_for_every_check() throws Exception {
        try (AgentProcess heartbeat = AgentProcess.start(dir, List.of(), env(), "check", "heartbeat", "--no-emit")) {
            int code = heartbeat.waitFor();
            assertThat(code).as(heartbeat.stdout()).isZero();
            assertThat(assertPluginOutput(heartbeat.stdout(), code)).containsKeys("heartbeat_duration", "heartbeat_findings", "open_alerts");
            assertThat(heartbeat.stdout()).startsWith("HA-DIAG OK - 1 check, 0 findings, 0 not run | ");
        }
        try (AgentProcess all = AgentProcess.start(dir, List.of(), env(), "check", "--no-emit")) {
            int code = all.waitFor();
            Map<String, String> perfdata = assertPluginOutput(all.stdout(), code);
            for (String check : List.of("heartbeat", "unavailable_entities", "system_health", "automation_failures", "updates_available",
                    "recorder", "repairs")) {
                assertThat(perfdata).containsKeys(check + "_duration", check + "_findings");
            }
            assertThat(perfdata).containsKeys("open_alerts", "unavailable_entities");
            assertThat(all.stdout() + all.stderr()).doesNotContain(ha.token().value());
        }
    }

    @Test
    void metrics_say_whether_ha_is_up_and_when_each_check_last_succeeded_with_jvm_and_process_metrics() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, List.of(), env(), "run");
        running.add(agent);
        // The heartbeat (REST) can see HA up before the WebSocket has finished its handshake: wait for both.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> metric(agent, "ha_diag_ha_up") == 1.0 && metric(agent, "ha_diag_websocket_connected") == 1.0);
        String metrics = agent.get("/metrics").body();
        assertThat(metric(agent, "ha_diag_check_last_run_timestamp_seconds{check=\"heartbeat\"}")).isGreaterThan(1.7e9);
        assertThat(metric(agent, "ha_diag_check_last_success_timestamp_seconds{check=\"heartbeat\"}")).isGreaterThan(1.7e9);
        assertThat(metric(agent, "ha_diag_check_interval_seconds{check=\"heartbeat\"}")).isEqualTo(1.0);
        assertThat(metric(agent, "ha_diag_event_write_failures_total")).isZero();
        assertThat(metrics).containsPattern("ha_diag_build_info\\{[^}]*commit=\"[0-9a-f]{12}\"[^}]*version=\"[^\"]+\"[^}]*} 1")
                .contains("jvm_memory_used_bytes{", "jvm_memory_committed_bytes{", "jvm_threads_live_threads", "process_uptime_seconds",
                        "process_cpu_usage", "process_files_open_files", "process_start_time_seconds", "ha_diag_check_duration_seconds_count{");
        assertThat(metrics).doesNotContain(ha.token().value());
        // The agent writes the format itself (no client library): the live answer must be what Prometheus parses.
        PrometheusTextFormat.assertValid(metrics);
        PrometheusTextFormat.assertPromtoolParses(metrics);
    }

    @Test
    void a_real_prometheus_scrapes_the_agent_and_fires_the_ha_down_rule_when_ha_stops() throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(prometheus)) {
            String why = "Prometheus is not installed (apt-get install prometheus; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Assumptions.assumeTrue(ha.canRestart(), "this Home Assistant cannot be stopped by the test");
        AgentProcess agent = AgentProcess.start(dir, List.of(), env(), "run");
        running.add(agent);

        // The shipped rules, with every 'for' at 0s: the test is about the expressions, alerts_test.yml about the delays.
        Path rules = dir.resolve("alerts.yml");
        Files.writeString(rules, Files.readString(RULES).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: 0s"));
        int port = AgentProcess.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: { scrape_interval: 1s, evaluation_interval: 1s }
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: ha-diag
                    static_configs: [{ targets: ["127.0.0.1:%d"] }]
                """.formatted(rules, agent.port));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        running.add(() -> {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        });
        String api = "http://127.0.0.1:" + port + "/api/v1/";
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> query(api, "ha_diag_ha_up") == 1.0);
        assertThat(firing(api)).doesNotContain("HaDiagHomeAssistantDown", "HaDiagAgentDown");

        ha.killHomeAssistant(); // a crash (#16): an announced stop is a planned restart, which pages no one
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> firing(api).contains("HaDiagHomeAssistantDown"));
        assertThat(firing(api)).doesNotContain("HaDiagAgentDown", "HaDiagEventWritesFailing");
    }

    private static double metric(AgentProcess agent, String series) throws Exception {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(agent.get("/metrics").body());
        assertThat(value.find()).as(series).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static double query(String api, String expression) throws Exception {
        JsonNode result = get(api + "query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)).path("data").path("result");
        assertThat(result.size()).isEqualTo(1);
        return result.get(0).path("value").get(1).asDouble();
    }

    private static List<String> firing(String api) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode alert : get(api + "alerts").path("data").path("alerts")) {
            if ("firing".equals(alert.path("state").asText())) {
                names.add(alert.path("labels").path("alertname").asText());
            }
        }
        return names;
    }
}
