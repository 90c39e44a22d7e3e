package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.battery.BatteryRules;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.ConfigEntryState;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LowBatteriesCheckTest {

    private static final String DOOR = "sensor.door_battery";
    private static final String DEVICE_KEY = "ha_battery_low:device:dev1";

    static Stream<Arguments> oneSensorOnADevice() {
        return Stream.of(
                // state, alert open before the run, default thresholds → low?
                Arguments.of("19", false, true),
                Arguments.of("20", false, false),
                Arguments.of("21", false, false),
                Arguments.of("21", true, true),   // hysteresis: alerted stays low until 25
                Arguments.of("24.9", true, true),
                Arguments.of("25", true, false),  // back above threshold + hysteresis
                Arguments.of("100", true, false), // replaced
                Arguments.of("unavailable", true, true), // ran flat: stays open
                Arguments.of("unknown", true, true),
                Arguments.of("unavailable", false, false),
                Arguments.of("not a number", false, false));
    }

    @ParameterizedTest(name = "{0} %, open before: {1} -> low: {2}")
    @MethodSource("oneSensorOnADevice")
    void aBatteryIsLowBelowItsThresholdAndStaysLowUntilItClearsTheHysteresis(String state, boolean open, boolean low) {
        InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
        if (open) {
            store.saveOpenAlert(new OpenAlert(DEVICE_KEY, BuiltInCheck.LOW_BATTERIES.wire(), AlertType.BATTERY_LOW, "c1", T0, T0, List.of(DOOR)));
        }
        List<Finding> findings = run(BatteryRules.DEFAULTS, store, snapshot(List.of(sensor(DOOR, state, "%")), "")).findings();
        assertThat(findings).hasSize(low ? 1 : 0);
        if (low) {
            assertThat(findings.get(0).alertKey()).isEqualTo(DEVICE_KEY);
            assertThat(findings.get(0).entities()).containsExactly(DOOR);
        }
    }

    static Stream<Arguments> whatCountsAsABattery() {
        return Stream.of(
                Arguments.of(sensor("sensor.a", "5", "%"), true),
                Arguments.of(sensor("sensor.a", "5", "V"), false), // a voltage, not a percentage
                Arguments.of(new EntityState("sensor.a", "5", Map.of("unit_of_measurement", "%"), T0, T0), false),
                Arguments.of(binary("binary_sensor.a", "on"), true), // HA: on = low
                Arguments.of(binary("binary_sensor.a", "off"), false),
                Arguments.of(new EntityState("light.a", "5", Map.of("device_class", "battery", "unit_of_measurement", "%"), T0, T0), false));
    }

    @ParameterizedTest(name = "{0} -> low: {1}")
    @MethodSource("whatCountsAsABattery")
    void onlyBatterySensorsInPercentAndLowBatteryBinarySensorsCount(EntityState state, boolean low) {
        // No registry entry at all: a REST-created state or a template sensor without a unique id.
        HaSnapshot snapshot = new HaSnapshot(List.of(state), List.of(), List.of(), List.of());
        CheckOutcome.Completed outcome = run(BatteryRules.DEFAULTS, new InMemoryDiagnosticStore(), snapshot);
        assertThat(outcome.findings()).hasSize(low ? 1 : 0);
        if (low) {
            assertThat(outcome.findings().get(0).alertKey()).isEqualTo("ha_battery_low:entity:" + state.entityId());
        }
    }

    static Stream<Arguments> overridesAndIgnores() {
        return Stream.of(
                Arguments.of(rules(List.of(new BatteryRules.Override(BatteryRules.Match.ENTITY, glob("sensor.door*"), 10)), IgnoreRules.NONE), false),
                Arguments.of(rules(List.of(new BatteryRules.Override(BatteryRules.Match.DEVICE, glob("Front*"), 10)), IgnoreRules.NONE), false),
                Arguments.of(rules(List.of(new BatteryRules.Override(BatteryRules.Match.INTEGRATION, glob("zha"), 10)), IgnoreRules.NONE), false),
                Arguments.of(rules(List.of(new BatteryRules.Override(BatteryRules.Match.INTEGRATION, glob("mqtt"), 10)), IgnoreRules.NONE), true),
                Arguments.of(rules(List.of(), new IgnoreRules(List.of(DOOR), List.of(), List.of(), List.of())), false),
                Arguments.of(rules(List.of(), new IgnoreRules(List.of(), List.of("zha"), List.of(), List.of())), false),
                Arguments.of(rules(List.of(), new IgnoreRules(List.of(), List.of(), List.of("Front door"), List.of())), false));
    }

    @ParameterizedTest
    @MethodSource("overridesAndIgnores")
    void overridesMatchByEntityDeviceOrIntegrationAndIgnoredBatteriesAreNeverReported(BatteryRules rules, boolean low) {
        CheckOutcome.Completed outcome = run(rules, new InMemoryDiagnosticStore(), snapshot(List.of(sensor(DOOR, "15", "%")), ""));
        assertThat(outcome.findings()).hasSize(low ? 1 : 0);
    }

    @org.junit.jupiter.api.Test
    void oneAlertPerDeviceNamesEveryBatteryAndItsLevel() {
        HaSnapshot snapshot = snapshot(List.of(sensor(DOOR, "12", "%"), binary("binary_sensor.door_battery_low", "on"),
                sensor("sensor.door_battery_2", "80", "%")), "");
        CheckOutcome.Completed outcome = run(BatteryRules.DEFAULTS, new InMemoryDiagnosticStore(), snapshot);
        assertThat(outcome.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.entities()).containsExactly("binary_sensor.door_battery_low", DOOR);
            assertThat(finding.summary()).contains("Front door", "12 %", "on");
            assertThat((List<?>) finding.details().get("batteries")).hasSize(3);
        });
        assertThat(outcome.measures()).containsEntry(LowBatteriesCheck.LOW_BATTERIES_MEASURE, 2L).containsEntry(LowBatteriesCheck.BATTERIES_MEASURE, 3L);
    }

    @org.junit.jupiter.api.Test
    void aDisabledEntityIsNeverReportedEvenIfAStateLingers() {
        CheckOutcome.Completed outcome = run(BatteryRules.DEFAULTS, new InMemoryDiagnosticStore(), snapshot(List.of(sensor(DOOR, "3", "%")), "user"));
        assertThat(outcome.findings()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void noBatteriesCostsNoRegistryCall() {
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(new HaSnapshot(List.of(new EntityState("light.a", "on", Map.of(), T0, T0)),
                List.of(), List.of(), List.of()));
        CheckOutcome outcome = new LowBatteriesCheck(BatteryRules.DEFAULTS, new InMemoryDiagnosticStore()).run(ha, CheckContext.at(T0));
        assertThat(outcome).isInstanceOfSatisfying(CheckOutcome.Completed.class, c -> assertThat(c.note()).isEqualTo("no batteries"));
        assertThat(ha.calls()).isEqualTo(1);
    }

    private static CheckOutcome.Completed run(BatteryRules rules, InMemoryDiagnosticStore store, HaSnapshot snapshot) {
        CheckOutcome outcome = new LowBatteriesCheck(rules, store).run(new FakeHomeAssistant().snapshot(snapshot), CheckContext.at(T0));
        assertThat(outcome).isInstanceOf(CheckOutcome.Completed.class);
        return (CheckOutcome.Completed) outcome;
    }

    /** The states on device dev1 ("Front door") of the config entry e1 (zha); {@code disabledBy} for every registry entry. */
    private static HaSnapshot snapshot(List<EntityState> states, String disabledBy) {
        List<EntityRegistryEntry> entries = new ArrayList<>();
        states.forEach(s -> entries.add(new EntityRegistryEntry(s.entityId(), "zha", "e1", "dev1", disabledBy, "", "", "", List.of())));
        return new HaSnapshot(states, entries, List.of(new DeviceRegistryEntry("dev1", "Front door", "", List.of("e1"), "", "Acme", "X1")),
                List.of(new ConfigEntry("e1", "zha", "Zigbee", ConfigEntryState.fromWire("loaded"), "loaded", "", "")));
    }

    private static EntityState sensor(String id, String state, String unit) {
        return new EntityState(id, state, Map.of("device_class", "battery", "unit_of_measurement", unit, "friendly_name", id), T0, T0);
    }

    private static EntityState binary(String id, String state) {
        return new EntityState(id, state, Map.of("device_class", "battery"), T0, T0);
    }

    private static BatteryRules rules(List<BatteryRules.Override> overrides, IgnoreRules ignore) {
        return new BatteryRules(20, 5, overrides, ignore);
    }

    private static dev.hadiag.core.analysis.Globs glob(String glob) {
        return dev.hadiag.core.analysis.Globs.of(List.of(glob));
    }
}
