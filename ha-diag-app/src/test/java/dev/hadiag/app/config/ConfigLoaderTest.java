package dev.hadiag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.app.relay.WebhookSettings;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.check.BuiltInCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String SECRET = "eyJ.secret-token.value";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("HA_URL", "http://ha.local:8123/", "HA_TOKEN", SECRET));

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(file, text);
        return file;
    }

    private AgentConfig load(Path file) {
        return ConfigLoader.load(env, file == null ? null : file.toString(), () -> "testhost");
    }

    private List<ConfigProblem> problems(Path file) {
        try {
            load(file);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET);
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void two_env_vars_are_a_whole_configuration_with_the_documented_defaults() {
        AgentConfig config = load(null);
        assertThat(config.haUrl()).isEqualTo("http://ha.local:8123");
        assertThat(config.haToken().value()).isEqualTo(SECRET);
        assertThat(config.nodeName()).isEqualTo("testhost");
        assertThat(config.eventsDir()).isEqualTo(Path.of("/opt/homelab/events"));
        assertThat(config.dbPath()).isEqualTo(Path.of("/data/ha_diag.db"));
        assertThat(config.http().bind()).isEqualTo("0.0.0.0");
        assertThat(config.http().port()).isEqualTo(8087);
        assertThat(config.http().apiToken()).isEmpty();
        assertThat(config.http().remoteTriggerAllowed()).isFalse();
        assertThat(config.alerts().repeatInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(config.websocket().silenceTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.websocket().grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.websocket().restartGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.websocket().quickReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.websocket().quickReconnectFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.websocket().maxReconnectDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.checks().systemHealth().minDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.checks().schedules()).containsOnlyKeys(BuiltInCheck.names());
        assertThat(config.checks().unavailableEntities().threshold()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.check(BuiltInCheck.RECORDER.wire()).interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.checks().recorder().backlogThreshold()).isEqualTo(1000);
        assertThat(config.alerts().maxEventsPerRun()).isEqualTo(50);
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void low_batteries_leave_the_companion_apps_phones_out_by_default_and_an_empty_list_reports_them() throws IOException {
        assertThat(load(null).checks().lowBatteries().rules().ignore().ignoresIntegration("mobile_app")).isTrue();
        assertThat(load(null).checks().lowBatteries().rules().ignore().ignoresIntegration("zha")).isFalse();
        assertThat(load(yaml("checks: { low_batteries: { ignore: { integrations: [] } } }\n")).checks().lowBatteries().rules().ignore()
                .ignoresIntegration("mobile_app")).isFalse();
        assertThat(load(yaml("checks: { low_batteries: { ignore: { integrations: [zha] } } }\n")).checks().lowBatteries().rules().ignore()
                .ignoresIntegration("mobile_app")).isFalse();
    }

    @Test
    void the_storm_guards_limit_is_read_and_zero_is_refused() throws IOException {
        assertThat(load(yaml("alerts: { max_events_per_run: 200 }\n")).alerts().maxEventsPerRun()).isEqualTo(200);
        assertThat(problems(yaml("alerts: { max_events_per_run: 0 }\n"))).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("alerts.max_events_per_run");
            assertThat(p.message()).contains("1 to 1000000");
        });
    }

    @Test
    void the_specs_example_file_is_read_and_env_vars_win_over_it() throws IOException {
        Path file = yaml("""
                ha_url: http://homeassistant.local:8123
                location_tag: ken
                check_interval: 60
                events_dir: /opt/homelab/events
                db_path: /data/ha_diag.db
                http: { bind: 0.0.0.0, port: 8087 }
                alerts: { repeat_interval: 24h, min_duration: 0s }
                websocket: { silence_timeout: 5m, grace: 10s, restart_grace: 15m }
                checks:
                  unavailable_entities:
                    enabled: true
                    interval: 60s
                    threshold: 15m
                    ignore: { entities: ["sensor.*_rssi"], integrations: ["mobile_app"], devices: [] }
                  automation_failures: { enabled: true, interval: 5m }
                  recorder: { backlog_threshold: 1000 }
                """);
        env.put("LOCATION_TAG", "chelsty");
        AgentConfig config = load(file);
        assertThat(config.haUrl()).isEqualTo("http://ha.local:8123");
        assertThat(config.locationTag()).isEqualTo("chelsty");
        assertThat(config.websocket().restartGrace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.check(BuiltInCheck.AUTOMATION_FAILURES.wire()).interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.checks().unavailableEntities().ignore().entities()).containsExactly("sensor.*_rssi");
        assertThat(config.checks().unavailableEntities().ignore().integrations()).containsExactly("mobile_app");
    }

    @Test
    void every_bad_value_is_one_problem_naming_the_key_its_file_and_line_and_what_is_expected() throws IOException {
        Path file = yaml("""
                check_interval: soon
                http:
                  port: 99999
                checks:
                  recorder: { backlog_threshold: lots }
                  unavailable_entitys: { enabled: true }
                  repairs:
                    enabled: maybe
                    colour: red
                """);
        env.put("HA_DIAG_PORT", "");
        List<ConfigProblem> problems = problems(file);
        assertThat(problems).extracting(ConfigProblem::key).containsExactlyInAnyOrder("check_interval", "http.port",
                "checks.recorder.backlog_threshold", "checks.unavailable_entitys.enabled", "checks.repairs.enabled",
                "checks.repairs.colour");
        assertThat(problems).filteredOn(p -> p.key().equals("http.port")).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(file + ":3");
            assertThat(p.message()).contains("99999").contains("0 to 65535");
        });
        assertThat(problems).filteredOn(p -> p.key().equals("checks.unavailable_entitys.enabled")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("unknown check"));
        assertThat(problems).filteredOn(p -> p.key().equals("checks.repairs.colour")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("ignore.issues"));
    }

    @Test
    void a_key_of_another_check_is_unknown_to_this_one_and_the_message_lists_exactly_the_keys_this_check_reads() throws IOException {
        Path file = yaml("""
                checks:
                  recorder:
                    threshold: 15m
                  system_health:
                    ignore: { entities: [sensor.x] }
                  unavailable_entities:
                    backlog_threshold: 5
                """);
        assertThat(problems(file)).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "checks.recorder.threshold (" + file + ":3): unknown setting of recorder; it has enabled, interval, backlog_threshold",
                "checks.system_health.ignore.entities (" + file + ":5): unknown setting of system_health; it has enabled, interval, "
                        + "min_duration, ignore.integrations",
                "checks.unavailable_entities.backlog_threshold (" + file + ":7): unknown setting of unavailable_entities; it has enabled, "
                        + "interval, threshold, ignore.entities, ignore.integrations, ignore.devices, ignore.labels, unknown_counts_for");
    }

    @Test
    void each_section_reads_its_own_keys_from_the_file_with_env_over_file() throws IOException {
        Path file = yaml("""
                http: { bind: 127.0.0.1, port: 9000 }
                alerts: { repeat_interval: 2h, min_duration: 30s }
                websocket: { silence_timeout: 1m, grace: 0s, max_reconnect_delay: 5s }
                checks:
                  system_health: { min_duration: 0s, ignore: { integrations: [zha] } }
                  updates_available: { ignore: { entities: "update.a, update.b" } }
                """);
        env.put("HA_DIAG_PORT", "9100");
        AgentConfig config = load(file);
        assertThat(config.http()).isEqualTo(new HttpSettings("127.0.0.1", 9100, "", false));
        assertThat(config.alerts()).isEqualTo(new AlertSettings(Duration.ofHours(2), Duration.ofSeconds(30), 50));
        assertThat(config.websocket()).isEqualTo(new WebSocketSettings(Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofMinutes(5)));
        assertThat(config.checks().systemHealth().minDuration()).isZero();
        assertThat(config.checks().systemHealth().ignore().integrations()).containsExactly("zha");
        assertThat(config.checks().updatesAvailable().ignore().entities()).containsExactly("update.a", "update.b");
    }

    @Test
    void events_retention_is_off_by_default_and_at_least_a_day_when_set() throws IOException {
        assertThat(load(null).eventsRetention()).isZero();
        assertThat(load(yaml("events: { retention: 90d }\n")).eventsRetention()).isEqualTo(Duration.ofDays(90));
        env.put("HA_DIAG_EVENTS_RETENTION", "12h");
        assertThat(problems(null)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("events.retention");
            assertThat(problem.toString()).contains("env HA_DIAG_EVENTS_RETENTION", "less than a day");
        });
    }

    @Test
    void a_quick_reconnect_delay_above_the_max_is_the_max() throws IOException {
        AgentConfig config = load(yaml("websocket: { max_reconnect_delay: 500ms, quick_reconnect_delay: 2s }\n"));
        assertThat(config.websocket().quickReconnectDelay()).isEqualTo(config.websocket().maxReconnectDelay());
    }

    @Test
    void an_env_value_that_is_wrong_is_named_as_coming_from_the_env() {
        env.put("CHECK_INTERVAL", "0");
        env.put("HA_URL", "ftp://ha");
        assertThat(problems(null)).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "check_interval (env CHECK_INTERVAL): '0' is not a positive duration (90s, 15m, 24h, or seconds)",
                "ha_url (env HA_URL): expected an http:// or https:// URL with a host");
    }

    @Test
    void missing_url_and_token_are_both_reported_and_a_token_in_the_file_is_refused_without_echoing_it() throws IOException {
        env.clear();
        Path file = yaml("ha_token: " + SECRET + "\n");
        assertThat(problems(file)).extracting(ConfigProblem::key).containsExactlyInAnyOrder("ha_url", "ha_token", "ha_token");
    }

    @Test
    void the_token_can_come_from_a_file_and_an_unreadable_one_is_named_but_never_printed() throws IOException {
        env.remove("HA_TOKEN");
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, SECRET + "\n");
        env.put("HA_TOKEN_FILE", tokenFile.toString());
        assertThat(load(null).haToken().value()).isEqualTo(SECRET);

        env.put("HA_TOKEN_FILE", dir.resolve("missing").toString());
        assertThat(problems(null)).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("ha_token_file");
            assertThat(p.message()).contains("missing");
        });
    }

    @Test
    void a_key_given_twice_in_one_mapping_is_a_problem_naming_both_lines_not_the_last_wins() throws IOException {
        Path file = yaml("""
                checks:
                  recorder: { enabled: false }
                http: { port: 9000, port: 9001 }
                checks:
                  repairs: { enabled: false }
                """);
        assertThat(problems(file)).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "http.port (" + file + ":3): duplicate key: 'port' is already at " + file + ":3 (YAML would keep only the last one)",
                "checks (" + file + ":4): duplicate key: 'checks' is already at " + file + ":1 (YAML would keep only the last one)");
    }

    @Test
    void a_config_file_named_explicitly_must_exist_and_be_yaml() throws IOException {
        assertThat(problems(dir.resolve("nope.yaml"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("does not exist"));
        Path broken = yaml("checks: [unclosed\n");
        assertThat(problems(broken)).singleElement().satisfies(p -> {
            assertThat(p.source()).startsWith(broken.toString());
            assertThat(p.message()).contains("not valid YAML");
        });
        assertThat(problems(yaml("- a list\n"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("mapping"));
    }

    @Test
    void durations_read_as_operators_write_them() {
        assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
        assertThat(Durations.parse("24h")).contains(Duration.ofHours(24));
        assertThat(Durations.parse("30d")).contains(Duration.ofDays(30));
        assertThat(Durations.parse("60")).contains(Duration.ofSeconds(60));
        assertThat(Durations.parse("1.5h")).isEmpty();
        assertThat(Durations.parse("-5s")).isEmpty();
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
    }

    @Test
    void the_example_in_docs_configuration_md_is_a_valid_configuration() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        String example = doc.substring(doc.indexOf("```yaml", doc.indexOf("## Example")) + 7);
        example = example.substring(0, example.indexOf("```"));
        AgentConfig config = load(yaml(example));
        assertThat(config.checks().repairs().ignoreIssues()).containsExactly("homeassistant/python_version");
    }

    @Test
    void the_log_level_comes_from_the_env_over_the_file_and_a_wrong_one_names_the_valid_levels() throws IOException {
        assertThat(load(null).logging()).isEqualTo(new LogSettings(LogSettings.Format.JSON, LogSettings.Level.INFO, ""));
        Path file = yaml("log_level: debug\nlog_format: console\n");
        assertThat(load(file).logging().level()).isEqualTo(LogSettings.Level.DEBUG);
        assertThat(load(file).logging().format()).isEqualTo(LogSettings.Format.CONSOLE);
        env.put("HA_DIAG_LOG_LEVEL", "Warn");
        assertThat(load(file).logging().level()).isEqualTo(LogSettings.Level.WARN);
        env.put("HA_DIAG_LOG_LEVEL", "loud");
        assertThat(problems(file)).singleElement().hasToString("log_level (env HA_DIAG_LOG_LEVEL): 'loud' is not one of trace, debug, info, warn, error");
    }

    @Test
    void an_operators_logback_file_must_exist() throws IOException {
        Path own = Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        env.put("HA_DIAG_LOGBACK", own.toString());
        assertThat(load(null).logging().operatorFile()).contains(own);
        env.put("HA_DIAG_LOGBACK", dir.resolve("missing.xml").toString());
        assertThat(problems(null)).singleElement().asString().contains("HA_DIAG_LOGBACK").contains("missing.xml");
    }

    @Test
    void the_relay_reads_its_destinations_refuses_secrets_in_the_file_and_needs_at_least_one_destination() throws IOException {
        assertThat(load(null).relay().hasDestination()).isFalse();
        Path file = yaml("""
                db_path: /var/lib/ha-diag/ha_diag.db
                mqtt: { url: "mqtts://broker.lan", username: agent, topic_prefix: house }
                notify: { webhook: { url: "https://ntfy.example/ha", format: ntfy, min_severity: warning, types: ["ha_*"] } }
                """);
        env.put("HA_DIAG_MQTT_PASSWORD", "mqtt-secret");
        RelaySettings relay = load(file).relay();
        assertThat(relay.mqtt()).hasValueSatisfying(mqtt -> {
            assertThat(mqtt.port()).isEqualTo(8883);
            assertThat(mqtt.password()).isEqualTo("mqtt-secret");
            assertThat(mqtt.topicPrefix()).isEqualTo("house");
            assertThat(mqtt.clientId()).isEqualTo("ha-diag-testhost");
            assertThat(mqtt.toString()).doesNotContain("mqtt-secret");
        });
        assertThat(relay.webhook()).hasValueSatisfying(webhook -> {
            assertThat(webhook.format()).isEqualTo(WebhookSettings.Format.NTFY);
            assertThat(webhook.minSeverity()).isEqualTo(Severity.WARNING);
            assertThat(webhook.acceptsType("ha_entity_stale")).isTrue();
            assertThat(webhook.acceptsType("deployment_started")).isFalse();
        });
        assertThat(relay.stateDb()).isEqualTo(Path.of("/var/lib/ha-diag/ha_diag_relay.db"));

        assertThat(problems(yaml("mqtt: { url: \"http://broker\", password: x }\n"))).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("mqtt.url", "mqtt.password");
        assertThatThrownBy(() -> ConfigLoader.relaySettings(Map.of("HA_DIAG_EVENTS_DIR", dir.toString()), null, Map.of(), () -> "h"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nothing to relay to");
    }

    @Test
    void home_assistant_discovery_is_off_by_default_switched_on_by_one_setting_and_needs_the_relays_broker() throws IOException {
        Path file = yaml("mqtt: { url: \"mqtt://broker.lan\" }\n");
        assertThat(load(file).relay().mqtt()).hasValueSatisfying(mqtt -> assertThat(mqtt.haDiscovery()).isFalse());
        env.put("HA_DIAG_MQTT_HA_DISCOVERY", "true");
        assertThat(load(file).relay().mqtt()).hasValueSatisfying(mqtt -> {
            assertThat(mqtt.haDiscovery()).isTrue();
            assertThat(mqtt.haDiscoveryPrefix()).isEqualTo("homeassistant");
        });
        env.put("HA_DIAG_MQTT_HA_DISCOVERY_PREFIX", "ha-lab");
        assertThat(load(file).relay().mqtt()).hasValueSatisfying(mqtt -> assertThat(mqtt.haDiscoveryPrefix()).isEqualTo("ha-lab"));

        env.put("HA_DIAG_MQTT_HA_DISCOVERY_PREFIX", "home/#");
        assertThat(problems(file)).extracting(ConfigProblem::key).containsExactly("mqtt.ha_discovery_prefix");
        env.remove("HA_DIAG_MQTT_HA_DISCOVERY_PREFIX");
        assertThat(problems(yaml("log_level: info\n"))).extracting(ConfigProblem::key).containsExactly("mqtt.ha_discovery");
    }

    @Test
    void remote_triggers_without_a_token_are_allowed_only_by_an_explicit_setting() throws IOException {
        assertThat(load(yaml("http: { allow_remote_trigger: true }\n")).http().remoteTriggerAllowed()).isTrue();
        env.put("HA_DIAG_ALLOW_REMOTE_TRIGGER", "false");
        assertThat(load(yaml("http: { allow_remote_trigger: true }\n")).http().remoteTriggerAllowed()).isFalse();
        env.put("HA_DIAG_ALLOW_REMOTE_TRIGGER", "maybe");
        assertThat(problems(null)).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("http.allow_remote_trigger");
            assertThat(problem.toString()).contains("HA_DIAG_ALLOW_REMOTE_TRIGGER", "true or false");
        });
    }

    // --- issue #16 ---

    @Test
    void the_maintenance_entity_is_off_by_default_comes_from_env_over_file_and_must_be_an_entity_id() throws IOException {
        assertThat(load(null).maintenanceEntity()).isEmpty();
        Path file = yaml("maintenance_entity: input_boolean.maintenance\n");
        assertThat(load(file).maintenanceEntity()).isEqualTo("input_boolean.maintenance");
        env.put("HA_DIAG_MAINTENANCE_ENTITY", "input_boolean.other");
        assertThat(load(file).maintenanceEntity()).isEqualTo("input_boolean.other");
        env.remove("HA_DIAG_MAINTENANCE_ENTITY");
        assertThat(problems(yaml("maintenance_entity: Maintenance Switch\n"))).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("maintenance_entity", "is not an entity id"));
    }

    @Test
    void the_silence_commands_find_the_database_without_home_assistant_settings() throws IOException {
        assertThat(ConfigLoader.dbPath(Map.of(), yaml("db_path: /srv/ha.db\nha_url: not checked here\n").toString()))
                .isEqualTo(Path.of("/srv/ha.db"));
        assertThat(ConfigLoader.dbPath(Map.of("HA_DIAG_DB", "/x.db"), null)).isEqualTo(Path.of("/x.db"));
    }
}
