package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ha-diag config check}: every setting with where it came from, nothing secret, nothing contacted. */
class ConfigCheckCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    private static final String TOKEN = "eyJ-secret-token-7c3f";

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("ha-diag-agent.yaml"), yaml);
    }

    @Test
    void each_setting_shows_its_value_and_its_origin_env_file_line_or_default_and_the_token_only_as_set() throws Exception {
        Path yaml = file("""
                # the agent's file
                http: { port: 9000 }
                checks:
                  recorder:
                    backlog_threshold: 500
                """);
        Map<String, String> env = Map.of("HA_URL", "http://127.0.0.1:1", "HA_TOKEN", TOKEN, "HA_DIAG_CONFIG", yaml.toString(),
                "HA_DIAG_BIND", "127.0.0.1", "HA_DIAG_API_TOKEN", "api-secret-1b2c");
        CliRun run = CliRun.run(env, NOW, "config", "check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines().get(0)).isEqualTo("config file: " + yaml + " (env HA_DIAG_CONFIG)");
        assertThat(run.outLines()).anySatisfy(line -> assertThat(line).matches("ha_url +http://127\\.0\\.0\\.1:1 +env HA_URL"))
                .anySatisfy(line -> assertThat(line).matches("ha_token +\\(set, not shown\\) +env HA_TOKEN"))
                .anySatisfy(line -> assertThat(line).matches("HA_DIAG_API_TOKEN +\\(set, not shown\\) +env HA_DIAG_API_TOKEN"))
                .anySatisfy(line -> assertThat(line).matches("http\\.bind +127\\.0\\.0\\.1 +env HA_DIAG_BIND"))
                .anySatisfy(line -> assertThat(line).matches("http\\.port +9000 +" + java.util.regex.Pattern.quote(yaml.toString()) + ":2"))
                .anySatisfy(line -> assertThat(line).matches("checks\\.recorder\\.backlog_threshold +500 +"
                        + java.util.regex.Pattern.quote(yaml.toString()) + ":5"))
                .anySatisfy(line -> assertThat(line).matches("checks\\.recorder\\.interval +1m +default"))
                .anySatisfy(line -> assertThat(line).matches("websocket\\.max_reconnect_delay +1m +default"))
                .anySatisfy(line -> assertThat(line).matches("HA_DIAG_MQTT_PASSWORD +\\(unset\\) +default"));
        assertThat(run.outLines().get(run.outLines().size() - 1)).startsWith("config check: valid: ").contains("not contacted");
        assertThat(run.out() + run.err()).doesNotContain(TOKEN, "api-secret-1b2c");
    }

    @Test
    void set_only_leaves_the_defaults_out() throws Exception {
        Map<String, String> env = Map.of("HA_URL", "http://ha:8123", "HA_TOKEN", TOKEN, "HA_DIAG_CONFIG", file("").toString());
        CliRun run = CliRun.run(env, NOW, "config", "check", "--set-only");
        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(5).noneSatisfy(line -> assertThat(line).endsWith(" default"));
    }

    @Test
    void an_invalid_configuration_is_exit_2_with_every_problem_and_the_settings_still_shown() throws Exception {
        Path yaml = file("""
                http: { port: 99999 }
                checks:
                  unavailable_entitys: { enabled: false }
                """);
        CliRun run = CliRun.run(Map.of("HA_URL", "ftp://ha", "HA_DIAG_CONFIG", yaml.toString()), NOW, "config", "check");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("ha_url ").contains("http.port ");
        assertThat(run.errLines()).first().isEqualTo("config check: the configuration has 4 problems:");
        assertThat(run.err()).contains("http.port (" + yaml + ":1): '99999' is not a whole number from 0 to 65535",
                "checks.unavailable_entitys.enabled (" + yaml + ":3): unknown check", "ha_url (env HA_URL)", "ha_token (env HA_TOKEN): required");
    }

    @Test
    void a_config_file_that_does_not_exist_or_is_not_yaml_is_a_problem_and_the_environment_is_still_shown() throws Exception {
        CliRun missing = CliRun.run(Map.of("HA_URL", "http://ha:8123", "HA_TOKEN", TOKEN), NOW, "config", "check", "--config",
                dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("config file (--config): " + dir.resolve("nope.yaml") + " does not exist");
        assertThat(missing.out()).containsPattern("ha_url +http://ha:8123 +env HA_URL");

        CliRun broken = CliRun.run(Map.of("HA_URL", "http://ha:8123", "HA_TOKEN", TOKEN), NOW, "config", "check", "--config",
                file("http: [unclosed\n").toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("not valid YAML");
    }
}
