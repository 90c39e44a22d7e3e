package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's logging as an operator tunes it: format and level from the settings, or the operator's own logback
 * file. No Home Assistant is needed: the agent starts and logs whether HA answers or not.
 */
class AgentLoggingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HA_URL", "http://127.0.0.1:" + AgentProcess.freePort());
        env.put("HA_TOKEN", "not-a-real-token");
        env.put("NODE_NAME", "log-it");
        env.put("HA_DIAG_EVENTS_DIR", dir.resolve("events").toString());
        env.put("HA_DIAG_DB", dir.resolve("ha_diag.db").toString());
        // A dead verdict one second after the start: an event, and so an INFO line, comes quickly.
        Path config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, "websocket: { grace: 1s }\n");
        env.put("HA_DIAG_CONFIG", config.toString());
        return env;
    }

    private boolean anEventWasWritten() throws Exception {
        Path events = dir.resolve("events");
        if (!Files.isDirectory(events)) {
            return false;
        }
        try (var files = Files.walk(events)) {
            return files.anyMatch(f -> f.toString().endsWith(".json"));
        }
    }

    private Path ownLogbackFile(Path logFile) throws Exception {
        Path file = dir.resolve("own-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>OWN ${HA_DIAG_LOG_LEVEL:-unset} %%level %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(logFile));
        return file;
    }

    @Test
    void the_default_is_json_lines_on_stderr_with_the_agents_fields() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env(), "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> agent.stderr().contains("\"event_type\":\"ha_websocket_dead\""));
            assertThat(agent.stop()).isZero();
            List<String> lines = agent.stderr().lines().toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonNode json = JSON.readTree(line);
                assertThat(json.has("@timestamp") && json.has("level") && json.has("message")).as(line).isTrue();
            }
            assertThat(agent.stdout()).isEmpty();
            assertThat(agent.stderr()).doesNotContain("not-a-real-token");
        }
    }

    @Test
    void a_debug_level_shows_debug_lines_in_the_console_format() throws Exception {
        Map<String, String> env = env();
        env.put("HA_DIAG_LOG_LEVEL", "debug");
        env.put("HA_DIAG_LOG_FORMAT", "console");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.stderr().contains(" DEBUG "));
            assertThat(agent.stop()).isZero();
            assertThat(agent.stderr()).contains(" INFO ").doesNotStartWith("{");
        }
    }

    @Test
    void a_warn_level_keeps_info_lines_out() throws Exception {
        Map<String, String> env = env();
        env.put("HA_DIAG_LOG_LEVEL", "WARN");
        env.put("HA_DIAG_LOG_FORMAT", "console");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            // Writing the event logs an INFO line at the default level.
            await().atMost(Duration.ofSeconds(60)).until(this::anEventWasWritten);
            assertThat(agent.stop()).isZero();
            assertThat(agent.stderr()).doesNotContain(" INFO ").doesNotContain(" DEBUG ");
        }
    }

    @Test
    void an_operators_logback_file_given_to_the_jvm_replaces_the_bundled_configuration() throws Exception {
        Path log = dir.resolve("own.log");
        try (AgentProcess agent = AgentProcess.start(dir, List.of("-Dlogback.configurationFile=" + ownLogbackFile(log)), env(), "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Files.readString(log).contains("OWN unset INFO ha-diag agent"));
            assertThat(agent.stop()).isZero();
            assertThat(agent.stderr()).doesNotContain("ha-diag agent");
        }
    }

    @Test
    void an_operators_logback_file_named_by_HA_DIAG_LOGBACK_replaces_the_bundled_one_and_sees_the_level() throws Exception {
        Path log = dir.resolve("own.log");
        Map<String, String> env = env();
        env.put("HA_DIAG_LOGBACK", ownLogbackFile(log).toString());
        env.put("HA_DIAG_LOG_LEVEL", "debug");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Files.readString(log).contains("OWN DEBUG INFO ha-diag agent"));
            assertThat(agent.stop()).isZero();
            assertThat(agent.stderr()).doesNotContain("ha-diag agent");
        }
    }

    @Test
    void a_missing_logback_file_is_a_configuration_error() throws Exception {
        Map<String, String> env = env();
        env.put("HA_DIAG_LOGBACK", dir.resolve("nope.xml").toString());
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            assertThat(agent.waitFor()).isEqualTo(2);
            assertThat(agent.stderr()).contains("HA_DIAG_LOGBACK").contains("nope.xml");
        }
    }
}
