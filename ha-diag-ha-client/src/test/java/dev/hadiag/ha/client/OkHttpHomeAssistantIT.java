package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.testing.States;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.ConfigEntryState;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every port method against a real Home Assistant with the scenario configuration: 2024.3.3 and 2026.11.0
 * (docs/home-assistant.md lists what differs; the assertions below that branch on the version back it).
 */
@ExtendWith(HomeAssistantExtension.class)
class OkHttpHomeAssistantIT {

    private final RealHomeAssistant ha;
    private final OkHttpHomeAssistant client;

    OkHttpHomeAssistantIT(RealHomeAssistant ha) {
        this.ha = ha;
        this.client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private Map<String, EntityState> states() {
        return States.of(client).stream().collect(Collectors.toMap(EntityState::entityId, Function.identity()));
    }

    @Test
    void ping_and_config_report_a_running_instance() {
        client.ping();
        assertThat(client.config().state()).isEqualTo(CoreState.RUNNING);
        assertThat(client.config().version()).isEqualTo(ha.version());
        assertThat(client.config().components()).contains("mqtt", "template", "recorder");
    }

    @Test
    void states_include_the_scenario_entities_and_follow_their_switches() {
        assertThat(states()).containsKeys("sensor.kitchen_plug_power", "sensor.garden_station_garden_temperature",
                "update.garden_station_firmware", "automation.ha_diag_failing_automation");
        assertThat(states().get("update.garden_station_firmware").state()).isEqualTo("on");
        assertThat(states().get("update.garden_station_firmware").attributes()).containsEntry("latest_version", "1.1.0");

        ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> states().get("sensor.hallway_temperature").isUnavailable());
        } finally {
            ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !states().get("sensor.hallway_temperature").isUnavailable());
    }

    @Test
    void config_entries_are_the_onboarding_defaults_and_the_loaded_mqtt_entry() {
        List<ConfigEntry> rest = client.configEntries();
        // Onboarding (the user step only) adds default integrations' entries on 2026.11, none on 2024.3.
        assertThat(rest).extracting(ConfigEntry::domain).containsExactlyInAnyOrderElementsOf(
                ha.isLegacy() ? List.of("mqtt") : List.of("mqtt", "marketplace", "analytics", "backup"));
        assertThat(rest).filteredOn(e -> e.domain().equals("mqtt")).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(ConfigEntryState.LOADED));
    }

    @Test
    void registries_link_mqtt_entities_to_their_device_and_config_entry() {
        String mqttEntry = client.configEntries().stream().filter(e -> e.domain().equals("mqtt")).findFirst().orElseThrow().entryId();
        EntityRegistryEntry temperature = client.registries().entities().stream()
                .filter(e -> e.entityId().equals("sensor.garden_station_garden_temperature")).findFirst().orElseThrow();
        assertThat(temperature.platform()).isEqualTo("mqtt");
        assertThat(temperature.configEntryId()).isEqualTo(mqttEntry);
        assertThat(client.deviceRegistry()).filteredOn(d -> d.id().equals(temperature.deviceId())).singleElement()
                .satisfies(d -> {
                    assertThat(d.displayName()).isEqualTo("Garden station");
                    assertThat(d.configEntries()).containsExactly(mqttEntry);
                    // 2026.11 names it (config_entry_id); on 2024.3 the only entry of the list owns it.
                    assertThat(d.primaryConfigEntry()).isEqualTo(mqttEntry);
                    assertThat(d.parentDeviceId()).isEmpty();
                });
    }

    @Test
    void the_compact_entity_registry_is_the_full_lists_enabled_entries() {
        List<String> full = client.fullEntityRegistry().stream().filter(e -> !e.isDisabled()).map(OkHttpHomeAssistantIT::resolved).toList();
        List<String> compact = client.registries().entities().stream().map(OkHttpHomeAssistantIT::resolved).toList();
        assertThat(compact).containsExactlyInAnyOrderElementsOf(full);
        // the test HA has all three kinds: a config entry taken from the device, one asked for by id, none
        assertThat(compact).anyMatch(e -> e.startsWith("sensor.garden_station_garden_temperature/mqtt/") && !e.contains("mqtt//"))
                .anyMatch(e -> e.startsWith("sensor.mailbox_letters/mqtt/") && !e.contains("mqtt//"))
                .anyMatch(e -> e.startsWith("sensor.always_there/template///"));
    }

    /** What the analysis reads of an entry: the compact registry gives exactly these. */
    private static String resolved(EntityRegistryEntry entry) {
        return entry.entityId() + "/" + entry.platform() + "/" + entry.configEntryId() + "/" + entry.deviceId() + "/" + entry.labels();
    }

    @Test
    void last_reported_is_read_where_ha_sends_it_and_is_last_updated_where_it_does_not() {
        // Reported twice, unchanged. HA 2024.4+ moves only last_reported, but /api/states serves each state from a
        // cache filled when the state was first written out, so over REST it still equals last_updated.
        ha.setState("sensor.ha_diag_reported", "{\"state\": \"same\"}");
        ha.setState("sensor.ha_diag_reported", "{\"state\": \"same\"}");
        EntityState reported = states().get("sensor.ha_diag_reported");
        assertThat(reported.lastReported()).isEqualTo(reported.lastUpdated());
        // Where HA does send it, it is read: a state whose last_reported HA wrote after last_changed shows it.
        assertThat(states().values()).allSatisfy(s -> assertThat(s.lastReported()).isAfterOrEqualTo(s.lastUpdated()));
    }

    @Test
    void a_failing_automation_leaves_a_trace_with_has_own_error_text() {
        ha.fireEvent("ha_diag_test_fail");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.automationTraces())
                .filteredOn(t -> t.itemId().equals("ha_diag_failing_automation"))
                .anySatisfy(t -> {
                    assertThat(t.failed()).isTrue();
                    assertThat(t.error()).contains("ha_diag_missing_domain.missing_service");
                }));
        // Both versions also raise a repair (severity error) for an automation that calls a missing action.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.repairIssues())
                .filteredOn(issue -> issue.domain().equals("automation") && issue.translationKey().equals("service_not_found"))
                .singleElement().satisfies(issue -> assertThat(issue.severity()).isEqualTo("error")));
        ha.fireEvent("ha_diag_test_ok");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.automationTraces())
                .filteredOn(t -> t.itemId().equals("ha_diag_working_automation"))
                .anySatisfy(t -> assertThat(t.failed()).isFalse()));
    }

    @Test
    void system_health_recorder_and_repairs_answer() {
        SystemHealth health = client.systemHealth();
        assertThat(health.domains()).containsKey("homeassistant");
        assertThat(health.domains().get("homeassistant")).containsEntry("version", "core-" + ha.version());

        RecorderInfo recorder = client.recorderInfo();
        assertThat(recorder.recording()).isTrue();
        assertThat(recorder.threadRunning()).isTrue();
        assertThat(recorder.backlog()).isPresent();

        // HA 2024.3 on Python 3.11 always raises its "python_version" repair, 2026.11 as a Core install its
        // "deprecated_method" one: a real issue to read. The setup's own repairs (2026.11's http: migration, MQTT's
        // YAML read before its entry existed) were cleared by the setup's restart.
        List<RepairIssue> issues = client.repairIssues();
        ha.standingRepair().ifPresent(standing -> assertThat(issues).anySatisfy(issue -> {
            assertThat(issue.domain() + "/" + issue.issueId()).isEqualTo(standing);
            assertThat(issue.severity()).isEqualTo("warning");
        }));
        assertThat(issues).noneSatisfy(issue -> assertThat(issue.issueId()).isIn("deprecated_yaml", "yaml_setup_without_active_setup"));
    }

    @Test
    void commands_after_the_websocket_was_lost_reconnect() {
        assertThat(client.recorderInfo().recording()).isTrue();
        // Drop the command connection under the client; the next command must open a new one.
        client.close();
        OkHttpHomeAssistant again = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()));
        try {
            assertThat(again.deviceRegistry()).isNotEmpty();
            assertThat(again.automationTraces()).allSatisfy(t -> assertThat(t).isInstanceOf(AutomationTrace.class));
        } finally {
            again.close();
        }
    }

    @Test
    void a_rejected_token_is_unauthorized_over_rest_and_websocket_and_never_echoed() {
        String bogus = "not-a-valid-token-1234567890";
        try (OkHttpHomeAssistant rejected = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), new AccessToken(bogus)))) {
            assertThatThrownBy(rejected::ping).isInstanceOf(HaUnauthorizedException.class)
                    .hasMessageContaining("HTTP 401").hasMessageNotContaining(bogus);
            assertThatThrownBy(rejected::deviceRegistry).isInstanceOf(HaUnauthorizedException.class)
                    .hasMessageContaining("rejected the token").hasMessageNotContaining(bogus);
        }
    }

    @Test
    void a_port_nobody_listens_on_is_unreachable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (OkHttpHomeAssistant nowhere = new OkHttpHomeAssistant(new HaClientSettings("http://127.0.0.1:" + port, ha.token()))) {
            assertThatThrownBy(nowhere::ping).isInstanceOf(HaUnreachableException.class).hasMessageContaining("unreachable");
            assertThatThrownBy(nowhere::recorderInfo).isInstanceOf(HaUnreachableException.class);
        }
    }
}
