package dev.hadiag.core.analysis;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.testing.Snapshots;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The hub level, through the whole analysis: what a hub explains and where the other levels take over. */
class HubCausesTest {

    final UnavailableEntitiesAnalysis analysis = new UnavailableEntitiesAnalysis(UnavailableEntitiesAnalysis.Settings.DEFAULTS);

    List<Finding> findings(Snapshots snapshot) {
        return analysis.analyze(snapshot.build(), Map.of(), T0.plus(Duration.ofHours(1))).findings();
    }

    /** A Zigbee2MQTT-like install: the mqtt entry, a bridge with a connection entity, devices behind it, one more device elsewhere. */
    static Snapshots bridge(int devices, String childState, String bridgeState) {
        return bridge(devices, childState, bridgeState, "on");
    }

    static Snapshots bridge(int devices, String childState, String bridgeState, String otherState) {
        Snapshots s = ha().entry("mqtt", "mqtt", "loaded").device("bridge", "Z2M bridge", "mqtt")
                .entity("binary_sensor.bridge_connection", "mqtt", "bridge", bridgeState)
                .device("other", "Other", "mqtt").entity("sensor.other", "mqtt", "other", otherState);
        for (int i = 0; i < devices; i++) {
            s.deviceVia("d" + i, "Device " + i, "mqtt", "bridge").entities(2, "sensor.d" + i, "mqtt", "d" + i, childState);
        }
        return s;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a bridge whose 10 devices are all down, its own entity still available: the hub",
                        bridge(10, "unavailable", "on"), List.of("ha_entity_unavailable_long:hub:bridge")),
                Arguments.of("the bridge's own entity down too: still the one hub cause",
                        bridge(10, "unavailable", "unavailable"), List.of("ha_entity_unavailable_long:hub:bridge")),
                Arguments.of("one device behind a hub is not enough: the device",
                        bridge(1, "unavailable", "on"), List.of("ha_entity_unavailable_long:device:d0")),
                Arguments.of("devices behind an answering bridge, all up: nothing",
                        bridge(10, "on", "on"), List.of()),
                Arguments.of("two of three down: two devices, not the hub",
                        bridge(2, "unavailable", "on").deviceVia("up", "Up", "mqtt", "bridge").entity("sensor.up", "mqtt", "up", "on"),
                        List.of("ha_entity_unavailable_long:device:d0", "ha_entity_unavailable_long:device:d1")),
                Arguments.of("a device without entities behind the hub neither counts nor blocks",
                        bridge(2, "unavailable", "on").deviceVia("empty", "Empty", "mqtt", "bridge"),
                        List.of("ha_entity_unavailable_long:hub:bridge")),
                Arguments.of("the whole integration down: the integration, above the hub",
                        bridge(3, "unavailable", "unavailable", "unavailable"),
                        List.of("ha_entity_unavailable_long:integration:mqtt")),
                Arguments.of("nested: both routers' devices down, the coordinator is the cause",
                        nested("unavailable"), List.of("ha_entity_unavailable_long:hub:coordinator")),
                Arguments.of("nested: one router's devices down, the other's up: that router",
                        nested("on"), List.of("ha_entity_unavailable_long:hub:router1")),
                Arguments.of("a facet device (parent_device_id) of a device behind the hub counts with that device",
                        bridge(2, "unavailable", "on").device("d0_facet", "D0 facet", "mqtt", "d0")
                                .entity("sensor.d0_facet", "mqtt", "d0_facet", "unavailable"),
                        List.of("ha_entity_unavailable_long:hub:bridge")),
                Arguments.of("a facet still answering keeps its device (and so the hub) up",
                        bridge(2, "unavailable", "on").device("d0_facet", "D0 facet", "mqtt", "d0")
                                .entity("sensor.d0_facet", "mqtt", "d0_facet", "on"),
                        List.of("ha_entity_unavailable_long:device:d1", "ha_entity_unavailable_long:entity:sensor.d0_0",
                                "ha_entity_unavailable_long:entity:sensor.d0_1")),
                Arguments.of("via links in a cycle (a broken registry) are not hubs: the devices",
                        ha().entry("e", "zha", "loaded").entity("sensor.up", "e", "", "on")
                                .deviceVia("a", "A", "e", "b").deviceVia("b", "B", "e", "a")
                                .entity("sensor.a", "e", "a", "unavailable").entity("sensor.b", "e", "b", "unavailable"),
                        List.of("ha_entity_unavailable_long:device:a", "ha_entity_unavailable_long:device:b")));
    }

    /** coordinator ← router1 ← (r1a, r1b) all down; coordinator ← router2 ← (r2a, r2b) in {@code router2Devices}. */
    static Snapshots nested(String router2Devices) {
        return ha().entry("zha", "zha", "loaded").entity("sensor.elsewhere", "zha", "", "on")
                .device("coordinator", "Coordinator", "zha").entity("sensor.coordinator", "zha", "coordinator", "on")
                .deviceVia("router1", "Router 1", "zha", "coordinator").entity("light.router1", "zha", "router1", "unavailable")
                .deviceVia("router2", "Router 2", "zha", "coordinator").entity("light.router2", "zha", "router2", "on")
                .deviceVia("r1a", "R1a", "zha", "router1").entity("sensor.r1a", "zha", "r1a", "unavailable")
                .deviceVia("r1b", "R1b", "zha", "router1").entity("sensor.r1b", "zha", "r1b", "unavailable")
                .deviceVia("r2a", "R2a", "zha", "router2").entity("sensor.r2a", "zha", "r2a", router2Devices)
                .deviceVia("r2b", "R2b", "zha", "router2").entity("sensor.r2b", "zha", "r2b", router2Devices);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void each_outage_is_blamed_on_the_highest_level_that_explains_it(String name, Snapshots snapshot, List<String> keys) {
        assertThat(findings(snapshot)).extracting(Finding::alertKey).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void the_hub_finding_names_the_devices_and_the_hubs_own_unavailable_entities() {
        Finding hub = findings(bridge(10, "unavailable", "unavailable")).get(0);

        assertThat(hub.rootCause()).isEqualTo(new RootCause(RootCause.Kind.HUB, "bridge", "Z2M bridge"));
        assertThat(hub.entities()).hasSize(21).contains("binary_sensor.bridge_connection", "sensor.d9_1");
        assertThat(hub.details()).containsEntry("hub", "Z2M bridge").containsEntry("integration", "mqtt")
                .containsEntry("device_count", 10).containsEntry("entity_count", 21)
                .containsEntry("hub_entities", List.of("binary_sensor.bridge_connection"));
        assertThat(hub.details().get("devices")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).hasSize(10).contains("Device 0", "Device 9");
        assertThat(hub.summary()).isEqualTo("Hub Z2M bridge is cut off: all 10 devices behind it are offline");
    }

    @Test
    void a_nested_cause_lists_the_routers_and_their_devices_and_explains_the_routers_own_entities() {
        Finding hub = findings(nested("unavailable")).get(0);

        assertThat(hub.details().get("devices")).asInstanceOf(InstanceOfAssertFactories.list(String.class)).containsExactly("R1a", "R1b", "R2a", "R2b", "Router 1", "Router 2");
        assertThat(hub.entities()).containsExactly("light.router1", "sensor.r1a", "sensor.r1b", "sensor.r2a", "sensor.r2b");
        assertThat(hub.details()).containsEntry("hub_entities", List.of());
    }
}
