package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says to an operator who got something wrong: one line, naming what they typed. */
class CommandLineMessagesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void a_bare_ha_diag_says_once_where_help_is() {
        CliRun run = CliRun.run(Map.of(), NOW);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ha-diag: a command is required (see 'ha-diag --help')");
    }

    @Test
    void a_bad_relay_option_is_blamed_on_the_option_not_on_an_environment_variable() {
        CliRun run = CliRun.run(Map.of("HA_DIAG_EVENTS_DIR", dir.toString()), NOW, "relay", "--once", "--mqtt-url", "http://x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mqtt.url (--mqtt-url): expected mqtt://host[:port]").doesNotContain("HA_DIAG_MQTT_URL");

        CliRun fromEnv = CliRun.run(Map.of("HA_DIAG_EVENTS_DIR", dir.toString(), "HA_DIAG_MQTT_URL", "http://x"), NOW, "relay", "--once");
        assertThat(fromEnv.err()).contains("mqtt.url (env HA_DIAG_MQTT_URL): expected mqtt://host[:port]");

        CliRun option = CliRun.run(Map.of("HA_DIAG_MQTT_URL", "http://x"), NOW, "relay", "--once", "--events-dir", dir.toString(),
                "--webhook-url", "ftp://y", "--mqtt-url", "http://z");
        assertThat(option.err()).contains("mqtt.url (--mqtt-url)", "notify.webhook.url (--webhook-url)").doesNotContain("env HA_DIAG");
    }

    @Test
    void nothing_to_relay_to_blames_no_variable_the_operator_did_not_set() {
        CliRun run = CliRun.run(Map.of("HA_DIAG_EVENTS_DIR", dir.toString()), NOW, "relay", "--once");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mqtt.url (not set): nothing to relay to").doesNotContain("env HA_DIAG_MQTT_URL");
    }
}
