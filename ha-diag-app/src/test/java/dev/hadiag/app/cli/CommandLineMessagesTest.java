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

    @Test
    void check_built_alone_for_a_plugin_run_reads_as_part_of_ha_diag_and_the_full_help_still_lists_every_command() {
        // Issue 29: a `check` run registers only check's model; what it prints must not change.
        CliRun help = CliRun.run(Map.of(), NOW, "check", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: ha-diag check ").contains("--json", "--no-emit", "--agent=URL");

        CliRun bad = CliRun.run(Map.of(), NOW, "check", "--no-such-option");
        assertThat(bad.exitCode()).isEqualTo(PluginOutput.UNKNOWN);
        assertThat(bad.outLines()).hasSize(1).first().asString().startsWith("HA-DIAG UNKNOWN - usage: ").contains("--no-such-option");
        assertThat(bad.errLines()).containsExactly("check: Unknown option: '--no-such-option' (see 'ha-diag check --help')");

        CliRun all = CliRun.run(Map.of(), NOW, "--help");
        assertThat(all.exitCode()).isZero();
        for (Class<?> command : HaDiagCommand.SUBCOMMANDS) {
            String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(all.out()).containsPattern("(?m)^  " + name + " ");
        }
    }
}
