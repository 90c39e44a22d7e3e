package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent jar as a separate process against a real Home Assistant: what an operator runs. */
@ExtendWith(HomeAssistantExtension.class)
class AgentJarIT {

    private static final Path JAR = Path.of("target", "ha-diag.jar");
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = AgentProbe.JSON;

    private final RealHomeAssistant ha;
    private final Path dir;
    private final Path events;
    private final Path config;
    private final List<Process> agents = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final AgentProbe probe = new AgentProbe();

    AgentJarIT(RealHomeAssistant ha, @TempDir Path dir) throws IOException {
        this.ha = ha;
        this.dir = dir;
        this.events = dir.resolve("events");
        this.config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, """
                location_tag: it-lab
                websocket: { grace: %ds }
                """.formatted(GRACE.toSeconds()) + AgentProcess.ON_DEMAND_CHECKS);
    }

    @AfterEach
    void stopAgentsAndRestoreHa() {
        agents.forEach(Process::destroyForcibly);
        if (ha.canRestart()) {
            ha.startHomeAssistant();
        }
        ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
    }

    private Process startAgent() throws IOException {
        probe.port(AgentProbe.freePort());
        Process process = startAgentWithoutWaiting();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> probe.health().get("ws_connected").asBoolean());
        return process;
    }

    private int stop(Process agent) throws InterruptedException {
        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("agent stopped").isTrue();
        return agent.exitValue();
    }

    private void assertTokenNowhere() throws IOException {
        List<String> logTexts = new ArrayList<>();
        for (Path log : logs) {
            logTexts.add(Files.readString(log, StandardCharsets.UTF_8));
        }
        probe.assertTokenNowhere(ha.token().value(), events, logTexts);
    }

    @Test
    void HA_dying_is_one_dead_event_across_an_agent_restart_and_its_recovery_shares_the_correlation_id() throws Exception {
        Assumptions.assumeTrue(ha.canRestart(), "this HA cannot be stopped by the test");
        Process first = startAgent();
        JsonNode health = probe.health();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("node").asText()).isEqualTo("it-node");

        // A crash (#16): a graceful stop may be announced, which makes it a planned restart that pages no one.
        ha.killHomeAssistant();
        await().atMost(GRACE.plusSeconds(2)).until(() -> AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).size() == 1);
        Event dead = AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).get(0);
        assertThat(dead.payload()).containsEntry("location_tag", "it-lab").containsEntry("ha_url", ha.url())
                .containsEntry("check", "websocket");
        // HA shutting down is a reason in words (it used to be "disconnected: null").
        assertThat((String) dead.payload().get("reason")).startsWith("disconnected: ").doesNotContain("null");
        assertThat(probe.health().get("ws_connected").asBoolean()).isFalse();

        assertThat(stop(first)).as("exit code after SIGTERM").isZero();
        Path log = logs.get(logs.size() - 1);
        assertThat(Files.readAllLines(log)).allSatisfy(line -> assertThat(JSON.readTree(line).has("message")).isTrue());

        // The second agent starts while HA is still down: it must not raise the incident again.
        probe.port(AgentProbe.freePort());
        Process second = startAgentWithoutWaiting();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> probe.health().get("uptime_s").asLong() > GRACE.toSeconds() + 1);
        assertThat(AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD)).hasSize(1);

        ha.startHomeAssistant();
        await().atMost(Duration.ofSeconds(60)).until(() -> AgentProbe.written(events, EventTypes.HA_WEBSOCKET_RECOVERED).size() == 1);
        assertThat(AgentProbe.written(events, EventTypes.HA_WEBSOCKET_RECOVERED).get(0).correlationId()).isEqualTo(dead.correlationId());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> probe.health().get("ws_connected").asBoolean());
        assertThat(stop(second)).isZero();
        assertTokenNowhere();
    }

    @Test
    void an_announced_stop_that_outlasts_the_restart_grace_is_dead_when_the_grace_ends_and_recovers_when_HA_is_back() throws Exception {
        Assumptions.assumeTrue(ha.canRestart(), "this HA cannot be stopped by the test");
        // The watchdog no longer ticks every 200 ms: it wakes at its deadline, which the announced stop sets.
        Files.writeString(config, Files.readString(config).replace("websocket: { grace: " + GRACE.toSeconds() + "s }",
                "websocket: { grace: " + GRACE.toSeconds() + "s, restart_grace: 4s }"));
        Process agent = startAgent();
        ha.stopHomeAssistant(); // SIGTERM: HA announces its stop, a planned restart
        ha.awaitHomeAssistantExited(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).size() == 1);
        Event dead = AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).get(0);
        assertThat(probe.health().get("ws_connected").asBoolean()).isFalse();

        ha.startHomeAssistant();
        await().atMost(Duration.ofSeconds(60)).until(() -> AgentProbe.written(events, EventTypes.HA_WEBSOCKET_RECOVERED).size() == 1);
        assertThat(AgentProbe.written(events, EventTypes.HA_WEBSOCKET_RECOVERED).get(0).correlationId()).isEqualTo(dead.correlationId());
        assertThat(AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD)).hasSize(1);
        assertThat(stop(agent)).isZero();
    }

    private Process startAgentWithoutWaiting() throws IOException {
        Path log = dir.resolve("agent-" + agents.size() + ".log");
        logs.add(log);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("HA_URL", ha.url());
        env.put("HA_TOKEN", ha.token().value());
        env.put("NODE_NAME", "it-node");
        env.put("HA_DIAG_EVENTS_DIR", events.toString());
        env.put("HA_DIAG_DB", dir.resolve("ha_diag.db").toString());
        env.put("HA_DIAG_BIND", "127.0.0.1");
        env.put("HA_DIAG_PORT", String.valueOf(probe.port()));
        Process process = builder.start();
        agents.add(process);
        return process;
    }

    @Test
    void a_trigger_after_switching_an_entity_off_writes_its_event_and_one_after_switching_it_on_the_recovery() throws Exception {
        Process agent = startAgent();
        ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> hallwayIs("unavailable"));

        HttpResponse<String> response = probe.http("POST", "/trigger/unavailable_entities");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("status").asText()).isEqualTo("warning");
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).extracting(e -> e.payload().get("alert_key"))
                .contains("ha_entity_unavailable_long:entity:sensor.hallway_temperature");
        assertThat(JSON.readTree(probe.http("GET", "/alerts").body()).get("alerts").toString()).contains("sensor.hallway_temperature");

        ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> !hallwayIs("unavailable"));
        assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_RECOVERED)).extracting(e -> e.payload().get("alert_key"))
                .contains("ha_entity_unavailable_long:entity:sensor.hallway_temperature");

        assertThat(probe.http("POST", "/trigger/nope").statusCode()).isEqualTo(404);
        assertThat(healthcheck()).as("deploy/healthcheck.sh against a running agent").isZero();
        String metrics = probe.http("GET", "/metrics").body();
        assertThat(metrics).contains("ha_diag_events_emitted_total{type=\"ha_entity_unavailable_long\"}")
                .contains("ha_diag_websocket_connected 1")
                .containsPattern("(?m)^ha_diag_watchdog_tick_running_seconds [0-9.]+$")
                .containsPattern("(?m)^ha_diag_check_running_seconds\\{check=\"heartbeat\"\\} [0-9.]+$");
        assertThat(stop(agent)).isZero();
        assertThat(healthcheck()).as("deploy/healthcheck.sh against a stopped agent").isNotZero();
        assertTokenNowhere();
    }

    private int healthcheck() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", Path.of("..", "deploy", "healthcheck.sh").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HA_DIAG_PORT", String.valueOf(probe.port()));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private boolean hallwayIs(String state) throws Exception {
        return AgentProbe.entityIs(ha, "sensor.hallway_temperature", state);
    }

    @Test
    void a_bad_config_file_stops_the_agent_with_exit_2_naming_the_key_and_its_line() throws Exception {
        Files.writeString(config, "http:\n  port: eighty\n");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "run", "--config", config.toString()).redirectErrorStream(true);
        builder.environment().put("HA_URL", ha.url());
        builder.environment().put("HA_TOKEN", ha.token().value());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("http.port (" + config + ":2): 'eighty' is not a whole number").doesNotContain(ha.token().value());
    }

    @Test
    void check_runs_once_prints_a_nagios_style_report_and_exits_with_the_worst_status() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "check", "--no-emit", "--json").redirectError(dir.resolve("check.err").toFile());
        builder.environment().put("HA_URL", ha.url());
        builder.environment().put("HA_TOKEN", ha.token().value());
        builder.environment().put("HA_DIAG_EVENTS_DIR", events.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode checks = JSON.readTree(output).get("checks");
        // every check but flapping, which a one-shot check cannot see (no live stream); none failed (backups, low_batteries
        // and ha_log_errors included)
        assertThat(checks).hasSize(11);
        assertThat(checks.toString()).contains("backups", "low_batteries", "ha_log_errors").doesNotContain("\"failed\"");
        // HA 2024.3 on Python 3.11 always has the python_version repair: a warning.
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.exists(events)).as("--no-emit writes nothing").isFalse();

        builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "check", "heartbeat").redirectErrorStream(true);
        builder.environment().put("HA_URL", "http://127.0.0.1:" + AgentProbe.freePort());
        builder.environment().put("HA_TOKEN", "not-a-real-token");
        builder.environment().put("HA_DIAG_DB", dir.resolve("check.db").toString());
        builder.environment().put("HA_DIAG_EVENTS_DIR", dir.resolve("check-events").toString());
        process = builder.start();
        output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).startsWith("HA-DIAG CRITICAL").contains("heartbeat").contains("unreachable");
    }

    @Test
    void a_dry_run_reports_what_a_run_against_a_fresh_database_reports_and_needs_no_file() throws Exception {
        ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> hallwayIs("unavailable"));
        // No temporary directory at all: a dry run that opened a scratch database (or unpacked SQLite's library) would fail.
        CheckRun dry = check("-Djava.io.tmpdir=" + dir.resolve("no-such-dir"), true);
        CheckRun fresh = check("-Djava.io.tmpdir=" + dir, false);
        assertThat(dry.exitCode()).as(dry.json()).isEqualTo(fresh.exitCode()).isIn(0, 1, 2);
        assertThat(dry.json()).contains("ha_entity_unavailable_long:entity:sensor.hallway_temperature");
        assertThat(dry.json()).isEqualTo(fresh.json());
        assertThat(Files.exists(dir.resolve("dry-run.db"))).as("--no-emit leaves the database alone").isFalse();
    }

    private record CheckRun(int exitCode, String json) {
    }

    /** check unavailable_entities heartbeat --json as a process; the JSON without the times, which differ between any two runs. */
    private CheckRun check(String tmpdir, boolean dry) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), tmpdir,
                "-jar", JAR.toString(), "check", "unavailable_entities", "heartbeat", "--json", "--config", config.toString()));
        if (dry) {
            command.add("--no-emit");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve(dry ? "dry.err" : "fresh.err").toFile());
        builder.environment().put("HA_URL", ha.url());
        builder.environment().put("HA_TOKEN", ha.token().value());
        builder.environment().put("HA_DIAG_DB", dir.resolve(dry ? "dry-run.db" : "fresh.db").toString());
        builder.environment().put("HA_DIAG_EVENTS_DIR", dir.resolve(dry ? "dry-events" : "fresh-events").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode checks = JSON.readTree(output).get("checks");
        assertThat(checks).as(output).hasSize(2);
        for (JsonNode check : checks) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) check).remove(List.of("started_at", "duration_ms"));
            for (JsonNode finding : check.get("findings")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) finding).remove("since");
            }
        }
        return new CheckRun(process.exitValue(), checks.toString());
    }
}
