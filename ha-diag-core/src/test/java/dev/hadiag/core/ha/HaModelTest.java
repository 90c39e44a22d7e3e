package dev.hadiag.core.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HaModelTest {

    @ParameterizedTest
    @CsvSource({"NOT_RUNNING,true", "STARTING,true", "RUNNING,false", "STOPPING,false", "FINAL_WRITE,false", "STOPPED,false", "HYPERDRIVE,false"})
    void not_running_and_starting_mean_starting_not_down(String wire, boolean starting) {
        assertThat(CoreState.fromWire(wire).isStarting()).isEqualTo(starting);
    }

    @Test
    void an_unknown_core_state_from_a_newer_ha_is_unknown_not_an_error() {
        assertThat(CoreState.fromWire("hyperdrive")).isEqualTo(CoreState.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"setup_error,true", "setup_retry,true", "migration_error,true", "failed_unload,true",
        "setup_in_progress,true", "loaded,false", "not_loaded,false", "unload_in_progress,false", "something_new,false"})
    void failing_config_entry_states_include_the_pause_between_retries(String wire, boolean failing) {
        assertThat(ConfigEntryState.fromWire(wire).isFailing()).isEqualTo(failing);
    }

    @Test
    void a_facet_of_a_listed_device_stands_for_its_parent_and_every_other_device_for_itself() {
        DeviceRegistryEntry hub = new DeviceRegistryEntry("hub", "Hub", "", List.of("e1"), "", "", "", "e1", "", "");
        DeviceRegistryEntry facet = new DeviceRegistryEntry("facet", "Hub (matter)", "", List.of("e2"), "", "", "", "e2", "hub", "");
        DeviceRegistryEntry orphan = new DeviceRegistryEntry("orphan", "", "", List.of("e3"), "", "", "", "e3", "gone", "");
        Map<String, DeviceRegistryEntry> devices = Map.of("hub", hub, "facet", facet, "orphan", orphan);

        assertThat(DeviceRegistryEntry.physicalDeviceId("facet", devices)).isEqualTo("hub");
        assertThat(DeviceRegistryEntry.physicalDeviceId("hub", devices)).isEqualTo("hub");
        assertThat(DeviceRegistryEntry.physicalDeviceId("orphan", devices)).isEqualTo("orphan");
        assertThat(DeviceRegistryEntry.physicalDeviceId("unlisted", devices)).isEqualTo("unlisted");
    }

    @Test
    void access_token_never_prints_its_value() {
        AccessToken token = new AccessToken("  eyJsecret  ");
        assertThat(token.value()).isEqualTo("eyJsecret");
        assertThat(token.toString()).doesNotContain("eyJsecret");
        assertThat(Map.of("token", token).toString()).doesNotContain("eyJsecret");
        assertThatThrownBy(() -> new AccessToken(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restored_placeholders_and_names_are_read_from_attributes() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        EntityState placeholder = new EntityState("sensor.x", "unavailable", Map.of("restored", true), t, t);
        assertThat(placeholder.isUnavailable()).isTrue();
        assertThat(placeholder.isRestoredPlaceholder()).isTrue();
        assertThat(placeholder.friendlyName()).isEqualTo("sensor.x");
        assertThat(placeholder.domain()).isEqualTo("sensor");
        EntityState named = new EntityState("light.y", "on", Map.of("friendly_name", "Lamp"), t, t);
        assertThat(named.isRestoredPlaceholder()).isFalse();
        assertThat(named.friendlyName()).isEqualTo("Lamp");
    }

    @Test
    void system_health_lists_the_values_ha_reported_as_failed() {
        SystemHealth health = new SystemHealth(Map.of(
                "cloud", Map.of("can_reach_cert_server", Map.of("type", "failed", "error", "unreachable"), "logged_in", false),
                "homeassistant", Map.of("version", "core-2024.3.3")));
        assertThat(health.failures()).containsExactly(new SystemHealth.Failure("cloud", "can_reach_cert_server", "unreachable"));
    }

    @Test
    void a_state_with_only_some_attributes_keeps_those_it_has_and_everything_else() {
        EntityState state = new EntityState("sensor.a", "unavailable", java.util.Map.of("friendly_name", "A", "unit", "W"),
                java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(1));
        EntityState only = state.withOnlyAttributes(java.util.Set.of("friendly_name", "restored"));
        assertThat(only.attributes()).containsOnlyKeys("friendly_name");
        assertThat(only).isEqualTo(new EntityState("sensor.a", "unavailable", java.util.Map.of("friendly_name", "A"),
                java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(1)));
        assertThat(state.withOnlyAttributes(java.util.Set.of("friendly_name", "unit"))).isSameAs(state);
    }
}
