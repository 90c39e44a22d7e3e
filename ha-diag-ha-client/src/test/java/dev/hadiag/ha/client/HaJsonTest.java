package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.LogEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both shapes of what HA sends, as HA 2024.3.3 and 2026.11.0 send them (trimmed to the fields that matter). */
class HaJsonTest {

    private static JsonNode json(String text) throws Exception {
        return HaJson.MAPPER.readTree(text);
    }

    @Test
    void a_2024_3_device_lists_its_config_entries_and_its_only_entry_owns_it() throws Exception {
        DeviceRegistryEntry device = HaJson.DEVICE_REGISTRY_ENTRY.map(json("""
                {"config_entries": ["e1"], "id": "d1", "name": "Garden station", "name_by_user": null,
                 "manufacturer": null, "model": null, "via_device_id": null, "disabled_by": null}"""), "d");
        assertThat(device.configEntries()).containsExactly("e1");
        assertThat(device.primaryConfigEntry()).isEqualTo("e1");
        assertThat(device.parentDeviceId()).isEmpty();
        assertThat(device.viaDeviceId()).isEmpty();
    }

    @Test
    void a_2024_3_device_of_several_entries_has_no_owner_unless_ha_names_the_primary_one() throws Exception {
        assertThat(HaJson.DEVICE_REGISTRY_ENTRY.map(json("""
                {"config_entries": ["e1", "e2"], "id": "d1", "via_device_id": "hub"}"""), "d"))
                .satisfies(d -> {
                    assertThat(d.primaryConfigEntry()).isEmpty();
                    assertThat(d.viaDeviceId()).isEqualTo("hub");
                });
        assertThat(HaJson.DEVICE_REGISTRY_ENTRY.map(json("""
                {"config_entries": ["e1", "e2"], "primary_config_entry": "e2", "id": "d1"}"""), "d").primaryConfigEntry())
                .isEqualTo("e2");
    }

    @Test
    void a_2026_11_device_has_one_config_entry_id_and_may_be_the_child_of_another() throws Exception {
        DeviceRegistryEntry child = HaJson.DEVICE_REGISTRY_ENTRY.map(json("""
                {"config_entry_id": "e2", "config_entries": ["e2"], "primary_config_entry": "e2", "id": "d2",
                 "parent_device_id": "d1", "via_device_id": null, "name": "Plug"}"""), "d");
        assertThat(child.primaryConfigEntry()).isEqualTo("e2");
        assertThat(child.configEntries()).containsExactly("e2");
        assertThat(child.parentDeviceId()).isEqualTo("d1");
        // Once the deprecated list is gone (announced for 2027.10), the single entry still fills it.
        assertThat(HaJson.DEVICE_REGISTRY_ENTRY.map(json("""
                {"config_entry_id": "e3", "id": "d3", "parent_device_id": null}"""), "d").configEntries()).containsExactly("e3");
    }

    @Test
    void attributes_of_every_json_kind_read_as_jacksons_untyped_reading_gives_them() throws Exception {
        String attributes = """
                {"friendly_name": "Plug", "restored": true, "supported_features": 0, "big": 12345678901234,
                 "temperature": 21.5, "options": ["a", null, 3], "nested": {"x": {"y": [false, {}]}}, "none": null}""";
        EntityState state = HaJson.state(json("""
                {"context": {"id": "x"}, "entity_id": "sensor.a", "state": "1", "attributes": %s,
                 "last_changed": "2026-11-24T05:00:00+00:00", "last_updated": "2026-11-24T05:10:00+00:00"}"""
                .formatted(attributes)), "s");
        java.util.Map<String, Object> expected = HaJson.MAPPER.readValue(attributes, new com.fasterxml.jackson.core.type.TypeReference<>() { });
        assertThat(state.attributes()).isEqualTo(expected).containsEntry("big", 12345678901234L).containsEntry("temperature", 21.5);
        assertThat(state.friendlyName()).isEqualTo("Plug");
    }

    @Test
    void a_state_stream_asked_for_some_attributes_reads_those_whatever_their_kind_and_the_rest_of_the_state_whole() throws Exception {
        String states = """
                [{"entity_id": "sensor.a", "state": "unavailable", "attributes": {"options": ["a", {"b": [1]}], "friendly_name": "Plug",
                  "nested": {"restored": false}, "restored": true}, "last_changed": "2026-11-24T05:00:00+00:00",
                  "last_updated": "2026-11-24T05:10:00+00:00", "context": {"id": "x"}},
                 {"entity_id": "sensor.b", "state": "1", "attributes": {"unit": "W"}, "last_changed": "2026-11-24T05:00:00+00:00",
                  "last_updated": "2026-11-24T05:10:00+00:00", "last_reported": "2026-11-24T05:20:00+00:00"}]""";
        List<EntityState> whole = new java.util.ArrayList<>();
        HaJson.states(new java.io.ByteArrayInputStream(states.getBytes(java.nio.charset.StandardCharsets.UTF_8)), HaJson.EVERY_ATTRIBUTE, whole::add);
        List<EntityState> some = new java.util.ArrayList<>();
        HaJson.states(new java.io.ByteArrayInputStream(states.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                java.util.Set.of("friendly_name", "restored")::contains, some::add);
        assertThat(some).containsExactlyElementsOf(whole.stream().map(s -> s.withOnlyAttributes(java.util.Set.of("friendly_name", "restored"))).toList());
        assertThat(some.get(0).attributes()).containsOnly(java.util.Map.entry("friendly_name", "Plug"), java.util.Map.entry("restored", true));
        assertThat(some.get(1).attributes()).isEmpty();
        assertThat(some.get(1).lastReported()).isEqualTo(Instant.parse("2026-11-24T05:20:00Z"));
    }

    @Test
    void last_reported_is_read_when_ha_sends_it_and_is_last_updated_before_2024_4() throws Exception {
        EntityState modern = HaJson.state(json("""
                {"entity_id": "sensor.a", "state": "1", "attributes": {}, "last_changed": "2026-11-24T05:00:00+00:00",
                 "last_updated": "2026-11-24T05:10:00+00:00", "last_reported": "2026-11-24T05:20:00.5+00:00"}"""), "s");
        assertThat(modern.lastReported()).isEqualTo(Instant.parse("2026-11-24T05:20:00.5Z"));
        EntityState old = HaJson.state(json("""
                {"entity_id": "sensor.a", "state": "1", "attributes": {}, "last_changed": "2024-03-01T05:00:00+00:00",
                 "last_updated": "2024-03-01T05:10:00+00:00"}"""), "s");
        assertThat(old.lastReported()).isEqualTo(old.lastUpdated());
    }

    @Test
    void a_trace_marked_not_triggered_is_dropped_and_the_others_are_kept() throws Exception {
        assertThat(HaJson.traces(json("""
                [{"item_id": "a1", "run_id": "r1", "state": "stopped", "timestamp": {"start": "2026-11-24T05:00:00+00:00"},
                  "not_triggered": true},
                 {"item_id": "a1", "run_id": "r2", "state": "stopped", "error": "boom",
                  "timestamp": {"start": "2026-11-24T05:01:00+00:00", "finish": "2026-11-24T05:01:01+00:00"}}]""")))
                .extracting(AutomationTrace::runId).containsExactly("r2");
    }

    @Test
    void system_log_list_as_both_versions_answer_it_folds_source_and_reads_epoch_seconds() throws Exception {
        // Measured on 2024.3.3 and 2026.11.0 (docs/home-assistant.md): the same shape on both.
        List<LogEntry> log = HaJson.systemLog(json("""
                [{"name": "homeassistant.components.demo_thing", "message": ["demo boom one", "demo boom two"], "level": "ERROR",
                  "source": ["components/system_log/services.py", 41], "timestamp": 1796645225.3521793, "exception": "",
                  "count": 2, "first_occurred": 1796645225.3439062},
                 {"name": "haffmpeg.core", "message": "FFmpeg fails", "level": "ERROR", "source": "core.py",
                  "timestamp": 1796645217.5, "exception": "Traceback (most recent call last):", "count": 1}]"""));
        assertThat(log).hasSize(2);
        LogEntry demo = log.get(0);
        assertThat(demo.logger()).isEqualTo("homeassistant.components.demo_thing");
        assertThat(demo.messages()).containsExactly("demo boom one", "demo boom two");
        assertThat(demo.source()).isEqualTo("components/system_log/services.py:41");
        assertThat(demo.count()).isEqualTo(2);
        assertThat(demo.firstOccurred()).isEqualTo(Instant.parse("2026-12-07T12:07:05.343906Z"));
        assertThat(demo.lastOccurred()).isEqualTo(Instant.parse("2026-12-07T12:07:05.352179Z"));
        LogEntry ffmpeg = log.get(1);
        assertThat(ffmpeg.messages()).containsExactly("FFmpeg fails");
        assertThat(ffmpeg.firstOccurred()).as("no first_occurred: the last occurrence").isEqualTo(ffmpeg.lastOccurred());
        assertThat(ffmpeg.exception()).startsWith("Traceback");
    }

    @Test
    void a_system_log_entry_without_a_time_or_a_count_is_a_protocol_error_naming_it() {
        assertThatThrownBy(() -> HaJson.systemLog(json("[{\"name\": \"x\", \"level\": \"ERROR\", \"count\": 1}]")))
                .isInstanceOf(HaProtocolException.class).hasMessageContaining("system_log/list[0]").hasMessageContaining("timestamp");
        assertThatThrownBy(() -> HaJson.systemLog(json("[{\"name\": \"x\", \"timestamp\": 1.5, \"count\": \"many\"}]")))
                .isInstanceOf(HaProtocolException.class).hasMessageContaining("count");
    }

    @Test
    void backup_info_of_2024_3_3_has_only_dated_backups_and_no_automatic_state() throws Exception {
        BackupInfo info = HaJson.backupInfo(json("""
                {"backups": [{"slug": "a1b2c3d4", "name": "Core 2024.3.3", "date": "2024-03-20T10:00:00.123456+00:00",
                  "path": "/config/backups/a1b2c3d4.tar", "size": 0.02}], "backing_up": false}"""));
        assertThat(info.automaticBackups()).isFalse();
        assertThat(info.newest()).hasValueSatisfying(b -> {
            assertThat(b.backupId()).isEqualTo("a1b2c3d4");
            assertThat(b.date()).isEqualTo(Instant.parse("2024-03-20T10:00:00.123456Z"));
        });
        assertThat(info.lastAttemptedAutomatic()).isEmpty();
    }

    @Test
    void backup_info_of_2026_11_after_a_failed_automatic_backup_as_HA_answered_it() throws Exception {
        BackupInfo info = HaJson.backupInfo(json("""
                {"agent_errors": {}, "agent_error_translations": {}, "backups": [{"addons": [], "backup_id": "c2248dd2",
                  "date": "2026-12-07T05:54:59.002330+00:00", "name": "Automatic backup 2026.11.0",
                  "agents": {"backup.local": {"protected": false, "size": 20480}}, "failed_agent_ids": ["cloud.cloud"],
                  "with_automatic_settings": true}],
                 "last_attempted_automatic_backup": "2026-12-07T05:56:00+00:00",
                 "last_completed_automatic_backup": "2026-12-07T05:54:59.021658+00:00",
                 "last_action_event": {"manager_state": "create_backup", "reason": "backup_manager_error", "stage": null, "state": "failed"},
                 "next_automatic_backup": null, "next_automatic_backup_additional": false, "state": "idle"}"""));
        assertThat(info.automaticBackups()).isTrue();
        assertThat(info.inProgress()).isFalse();
        assertThat(info.lastFailureReason()).isEqualTo("backup_manager_error");
        assertThat(info.nextAutomatic()).isEmpty();
        assertThat(info.newest()).hasValueSatisfying(b -> {
            assertThat(b.agentIds()).containsExactly("backup.local");
            assertThat(b.failedAgentIds()).containsExactly("cloud.cloud");
            assertThat(b.automatic()).isTrue();
        });
    }
}
