package dev.hadiag.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.ConfigEntryState;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link HomeAssistant} must have, as the checks rely on it: run against the in-memory
 * fake (the core's unit tests) and against {@code OkHttpHomeAssistant} on a real HA of each supported
 * version. The HA under test holds the scenario's {@link #garden()} entity: an MQTT sensor on a device.
 */
public abstract class HomeAssistantContract {

    /**
     * An entity of the scenario that sits on a device of a loaded config entry.
     *
     * @param entityId   e.g. {@code sensor.garden_station_garden_temperature}
     * @param deviceName the device's name as HA shows it
     * @param domain     the integration of the config entry that owns entity and device
     */
    protected record DeviceEntity(String entityId, String deviceName, String domain) {
    }

    /** The scenario entity every HA under test holds. */
    protected static DeviceEntity garden() {
        return new DeviceEntity("sensor.garden_station_garden_temperature", "Garden station", "mqtt");
    }

    /** The HA under test, running and holding the scenario. */
    protected abstract HomeAssistant homeAssistant();

    /** The same HA, reached with a token it rejects. */
    protected abstract HomeAssistant withRejectedToken();

    /** An HA that cannot be reached at all. */
    protected abstract HomeAssistant unreachable();

    @Test
    void a_running_ha_answers_ping_and_reports_its_version_and_state() {
        HomeAssistant ha = homeAssistant();
        ha.ping();
        HaConfig config = ha.config();
        assertThat(config.state()).isEqualTo(CoreState.RUNNING);
        assertThat(config.version()).isNotBlank();
    }

    @Test
    void every_state_is_handed_over_once_with_its_times_in_order() {
        List<EntityState> states = new ArrayList<>();
        homeAssistant().forEachState(states::add);
        assertThat(states).extracting(EntityState::entityId).doesNotHaveDuplicates().contains(garden().entityId())
                .allSatisfy(id -> assertThat(id).contains("."));
        assertThat(states).allSatisfy(state -> {
            assertThat(state.lastChanged()).isBeforeOrEqualTo(state.lastUpdated());
            assertThat(state.lastUpdated()).isBeforeOrEqualTo(state.lastReported());
        });
    }

    @Test
    void states_asked_for_some_attributes_are_every_state_with_only_those() {
        HomeAssistant ha = homeAssistant();
        java.util.Set<String> names = java.util.Set.of("friendly_name", "restored");
        List<EntityState> whole = new ArrayList<>();
        ha.forEachState(whole::add);
        List<EntityState> some = new ArrayList<>();
        ha.forEachState(names, some::add);
        // by entity and attributes: a real HA may update a state between the two reads
        assertThat(some.stream().collect(java.util.stream.Collectors.toMap(EntityState::entityId, EntityState::attributes)))
                .isEqualTo(whole.stream().map(state -> state.withOnlyAttributes(names))
                        .collect(java.util.stream.Collectors.toMap(EntityState::entityId, EntityState::attributes)));
        assertThat(some).allSatisfy(state -> assertThat(names).containsAll(state.attributes().keySet()));
    }

    @Test
    void one_state_is_the_one_every_state_holds_and_an_unknown_entity_is_empty() {
        HomeAssistant ha = homeAssistant();
        List<EntityState> states = new ArrayList<>();
        ha.forEachState(states::add);
        EntityState expected = states.stream().filter(s -> s.entityId().equals(garden().entityId())).findFirst().orElseThrow();

        assertThat(ha.state(garden().entityId())).hasValueSatisfying(state -> {
            assertThat(state.entityId()).isEqualTo(expected.entityId());
            assertThat(state.state()).isEqualTo(expected.state());
            assertThat(state.lastChanged()).isEqualTo(expected.lastChanged());
        });
        assertThat(ha.state("input_boolean.ha_diag_no_such_entity")).isEmpty();
    }

    @Test
    void the_registries_link_an_entity_to_its_device_and_its_loaded_config_entry() {
        HaRegistries registries = homeAssistant().registries();
        EntityRegistryEntry entity = registries.entities().stream().filter(e -> e.entityId().equals(garden().entityId()))
                .findFirst().orElseThrow(() -> new AssertionError(garden().entityId() + " is not in the entity registry"));
        assertThat(entity.isDisabled()).isFalse();
        assertThat(registries.configEntries()).filteredOn(e -> e.entryId().equals(entity.configEntryId())).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.domain()).isEqualTo(garden().domain());
                    assertThat(entry.state()).isEqualTo(ConfigEntryState.LOADED);
                });
        assertThat(registries.devices()).filteredOn(d -> d.id().equals(entity.deviceId())).singleElement()
                .satisfies(device -> {
                    assertThat(device.displayName()).isEqualTo(garden().deviceName());
                    assertThat(device.configEntries()).contains(entity.configEntryId());
                    assertThat(device.primaryConfigEntry()).isEqualTo(entity.configEntryId());
                });
        assertThat(registries.configEntries()).extracting(ConfigEntry::entryId).doesNotHaveDuplicates();
    }

    /** Issue 25: the registries are one call, and asking again (after anything else) reads them again, the same. */
    @Test
    void the_registries_are_one_call_that_answers_the_same_when_asked_again() {
        HomeAssistant ha = homeAssistant();
        HaRegistries first = ha.registries();
        ha.configEntries();
        HaRegistries second = ha.registries();
        assertThat(second.entities()).containsExactlyInAnyOrderElementsOf(first.entities());
        assertThat(second.devices()).containsExactlyInAnyOrderElementsOf(first.devices());
        assertThat(second.configEntries()).containsExactlyInAnyOrderElementsOf(first.configEntries());
        assertThat(ha.configEntries()).containsExactlyInAnyOrderElementsOf(first.configEntries());
    }

    @Test
    void system_health_the_recorder_repairs_and_traces_answer() {
        HomeAssistant ha = homeAssistant();
        assertThat(ha.systemHealth().domains()).isNotNull();
        assertThat(ha.recorderInfo().recording()).isTrue();
        assertThat(ha.repairIssues()).isNotNull();
        assertThat(ha.automationTraces()).isNotNull();
    }

    @Test
    void backup_info_answers_with_every_backup_dated_and_no_automatic_state_before_2025_1() {
        BackupInfo info = homeAssistant().backupInfo();
        assertThat(info.backups()).allSatisfy(backup -> assertThat(backup.date()).isNotNull());
        if (!info.automaticBackups()) {
            assertThat(info.lastAttemptedAutomatic()).isEmpty();
            assertThat(info.nextAutomatic()).isEmpty();
        }
    }

    @Test
    void system_log_answers_entries_each_with_a_logger_a_level_a_count_and_its_times_in_order() {
        assertThat(homeAssistant().systemLog()).allSatisfy(entry -> {
            assertThat(entry.logger()).isNotBlank();
            assertThat(entry.level()).isIn("WARNING", "ERROR", "CRITICAL");
            assertThat(entry.count()).isPositive();
            assertThat(entry.lastOccurred()).isAfterOrEqualTo(entry.firstOccurred());
        });
    }

    @Test
    void a_rejected_token_fails_rest_and_websocket_calls_as_unauthorized() {
        HomeAssistant rejected = withRejectedToken();
        assertThatThrownBy(rejected::ping).isInstanceOf(HaUnauthorizedException.class);
        assertThatThrownBy(rejected::registries).isInstanceOf(HaUnauthorizedException.class);
    }

    @Test
    void an_ha_nobody_answers_for_is_unreachable() {
        HomeAssistant nowhere = unreachable();
        assertThatThrownBy(nowhere::ping).isInstanceOf(HaUnreachableException.class);
        assertThatThrownBy(nowhere::recorderInfo).isInstanceOf(HaUnreachableException.class);
        assertThatThrownBy(nowhere::backupInfo).isInstanceOf(HaUnreachableException.class);
    }
}
