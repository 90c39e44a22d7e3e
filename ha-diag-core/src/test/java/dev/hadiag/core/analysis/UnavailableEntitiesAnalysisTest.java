package dev.hadiag.core.analysis;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.EntityState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnavailableEntitiesAnalysisTest {

    final UnavailableEntitiesAnalysis analysis = new UnavailableEntitiesAnalysis(UnavailableEntitiesAnalysis.Settings.DEFAULTS);
    final Instant now = T0.plus(Duration.ofHours(1));

    List<Finding> findings(HaSnapshot snapshot) {
        return analysis.analyze(snapshot, Map.of(), now).findings();
    }

    @Test
    void one_failed_config_entry_with_500_entities_is_exactly_one_integration_finding() {
        List<Finding> findings = findings(ha().entry("hue", "hue", "setup_retry", "Bridge not reachable")
                .entities(500, "light.hue", "hue", "", "unavailable").build());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.INTEGRATION_FAILED);
            assertThat(f.alertKey()).isEqualTo("ha_integration_failed:integration:hue");
            assertThat(f.entities()).hasSize(500);
            assertThat(f.details()).containsEntry("reason", "Bridge not reachable").containsEntry("state", "setup_retry");
            assertThat(f.summary()).contains("setup_retry", "Bridge not reachable");
        });
    }

    @Test
    void a_failed_entry_is_a_cause_even_while_ha_still_shows_its_entities_available() {
        assertThat(findings(ha().entry("e", "zha", "setup_in_progress").entities(3, "sensor.z", "e", "", "on").build()))
                .extracting(Finding::type).containsExactly(AlertType.INTEGRATION_FAILED);
    }

    @Test
    void device_with_five_unavailable_entities_among_forty_healthy_is_one_device_finding() {
        List<Finding> findings = findings(ha().entry("zha", "zha", "loaded")
                .device("plug", "Kitchen plug", "zha").device("other", "Other", "zha")
                .entities(5, "sensor.plug", "zha", "plug", "unavailable")
                .entities(40, "sensor.ok", "zha", "other", "on").build());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rootCause()).isEqualTo(new RootCause(RootCause.Kind.DEVICE, "plug", "Kitchen plug"));
            assertThat(f.type()).isEqualTo(AlertType.ENTITY_UNAVAILABLE_LONG);
            assertThat(f.entities()).hasSize(5);
        });
    }

    @Test
    void a_loaded_integration_whose_entities_are_all_unavailable_is_one_cause_above_its_devices() {
        List<Finding> findings = findings(ha().entry("mqtt", "mqtt", "loaded").entry("zha", "zha", "loaded")
                .device("garden", "Garden station", "mqtt").device("porch", "Porch", "mqtt")
                .entities(3, "sensor.garden", "mqtt", "garden", "unavailable")
                .entities(2, "sensor.porch", "mqtt", "porch", "unavailable")
                .entities(4, "sensor.zha", "zha", "", "on").build());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rootCause().kind()).isEqualTo(RootCause.Kind.INTEGRATION);
            assertThat(f.alertKey()).isEqualTo("ha_entity_unavailable_long:integration:mqtt");
            assertThat(f.entities()).hasSize(5);
        });
    }

    @Test
    void what_no_higher_cause_explains_is_one_finding_per_entity() {
        List<Finding> findings = findings(ha().entry("zha", "zha", "loaded").device("d", "Dev", "zha")
                .entity("sensor.a", "zha", "d", "unavailable").entity("sensor.b", "zha", "d", "on")
                .entity("sensor.c", "zha", "", "unavailable").entity("sensor.d", "zha", "", "on").build());

        assertThat(findings).extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.a", "ha_entity_unavailable_long:entity:sensor.c");
    }

    @Test
    void disabled_entities_are_never_reported_nor_counted_against_a_device() {
        List<Finding> findings = findings(ha().entry("zha", "zha", "loaded").entry("x", "x", "loaded")
                .device("d", "Dev", "zha")
                .entity("sensor.a", "zha", "d", "unavailable").entity("sensor.b", "zha", "d", "", "user", List.of())
                .entity("sensor.other", "x", "", "on").build());
        assertThat(findings).extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:integration:zha");
    }

    @Test
    void ignore_rules_cover_entity_globs_integrations_devices_and_labels() {
        HaSnapshot snapshot = ha().entry("zha", "zha", "loaded").entry("mob", "mobile_app", "loaded").entry("ok", "x", "loaded")
                .device("d", "Phone of Anna", "zha")
                .entity("sensor.kitchen_rssi", "zha", "", "unavailable")
                .entity("sensor.phone_battery", "zha", "d", "unavailable").entity("sensor.phone_ok", "zha", "d", "on")
                .entity("sensor.anna_app", "mob", "", "unavailable").entity("sensor.anna_app2", "mob", "", "on")
                .entity("sensor.labelled", "zha", "", "unavailable", "", List.of("flaky"))
                .entity("sensor.real_problem", "zha", "", "unavailable")
                .entity("sensor.fine", "ok", "", "on").build();
        UnavailableEntitiesAnalysis ignoring = new UnavailableEntitiesAnalysis(new UnavailableEntitiesAnalysis.Settings(
                new IgnoreRules(List.of("sensor.*_rssi"), List.of("mobile_*"), List.of("Phone of *"), List.of("flaky")), Set.of()));

        assertThat(ignoring.analyze(snapshot, Map.of(), now).findings())
                .extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.real_problem");
    }

    @Test
    void unknown_counts_only_for_opted_in_domains() {
        HaSnapshot snapshot = ha().entry("e", "x", "loaded").entity("sensor.a", "e", "", "unknown").entity("binary_sensor.b", "e", "", "unknown")
                .entity("sensor.ok", "e", "", "on").build();
        assertThat(findings(snapshot)).isEmpty();
        UnavailableEntitiesAnalysis optIn = new UnavailableEntitiesAnalysis(
                new UnavailableEntitiesAnalysis.Settings(IgnoreRules.NONE, Set.of("sensor")));
        assertThat(optIn.analyze(snapshot, Map.of(), now).findings())
                .extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.a");
    }

    @Test
    void an_entity_is_unavailable_since_the_agent_first_saw_it_or_has_own_record_after_its_last_start() {
        HaSnapshot snapshot = ha().entry("e", "x", "loaded").entity("sensor.a", "e", "", "unavailable")
                .entity("sensor.b", "e", "", "unavailable").entity("sensor.ok", "e", "", "on").build();
        Instant firstSeen = now.minus(Duration.ofMinutes(5));
        // No known HA start: HA's last_changed (T0, an hour ago) could be a restart artefact, so the agent's own sight counts.
        var result = analysis.analyze(snapshot, Map.of("sensor.a", firstSeen), now);
        assertThat(result.unavailableSince()).containsEntry("sensor.a", firstSeen).containsEntry("sensor.b", now);
        // HA started before T0: its last_changed is a real record and older than the agent's sight.
        var withStart = analysis.analyze(snapshot, Map.of("sensor.a", firstSeen), T0.minusSeconds(60), now);
        assertThat(withStart.unavailableSince()).containsEntry("sensor.a", T0).containsEntry("sensor.b", T0);
    }

    @Test
    void a_group_is_down_since_its_last_member_went_down() {
        HaSnapshot snapshot = ha().entry("e", "x", "loaded").entry("o", "y", "loaded").device("d", "Dev", "e")
                .entity("sensor.a", "e", "d", "unavailable").entity("sensor.b", "e", "d", "unavailable")
                .entity("sensor.c", "e", "", "on").entity("sensor.o", "o", "", "on").build();
        Instant early = now.minus(Duration.ofMinutes(30));
        Instant late = now.minus(Duration.ofMinutes(2));
        assertThat(analysis.analyze(snapshot, Map.of("sensor.a", early, "sensor.b", late), now).findings())
                .singleElement().satisfies(f -> assertThat(f.since()).isEqualTo(late));
    }

    @Test
    void restored_placeholders_are_flagged_for_the_operator() {
        HaSnapshot base = ha().entry("e", "x", "loaded").entity("sensor.ok", "e", "", "on").build();
        EntityState restored = new EntityState("sensor.ghost", "unavailable", Map.of("restored", true), T0, T0);
        HaSnapshot snapshot = new HaSnapshot(List.of(base.states().get(0), restored), base.entities(), base.devices(), base.configEntries());
        assertThat(findings(snapshot)).singleElement().satisfies(f -> assertThat(f.details()).containsEntry("restored_placeholder", true));
    }

    @Test
    void a_child_device_counts_with_its_parent_so_one_offline_device_is_one_finding() {
        // HA 2026.9+: the plug belongs to zha; the energy integration adds its entities on a child device.
        List<Finding> findings = findings(ha().entry("zha", "zha", "loaded").entry("nrg", "energy_meter", "loaded")
                .device("plug", "Kitchen plug", "zha", "").device("plug-energy", "Kitchen plug", "nrg", "plug")
                .device("other", "Other", "zha", "").device("meter", "Meter", "nrg", "")
                .entities(2, "sensor.plug", "zha", "plug", "unavailable")
                .entities(3, "sensor.plug_energy", "nrg", "plug-energy", "unavailable")
                .entities(4, "sensor.other", "zha", "other", "on")
                .entities(4, "sensor.meter", "nrg", "meter", "on").build());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rootCause()).isEqualTo(new RootCause(RootCause.Kind.DEVICE, "plug", "Kitchen plug"));
            assertThat(f.entities()).hasSize(5);
        });
    }

    @Test
    void a_child_device_whose_parent_is_up_is_its_own_finding() {
        List<Finding> findings = findings(ha().entry("zha", "zha", "loaded").entry("nrg", "energy_meter", "loaded")
                .device("plug", "Kitchen plug", "zha", "").device("plug-energy", "Kitchen plug energy", "nrg", "plug")
                .device("meter", "Meter", "nrg", "")
                .entities(2, "sensor.plug", "zha", "plug", "on")
                .entities(3, "sensor.plug_energy", "nrg", "plug-energy", "unavailable")
                .entities(4, "sensor.meter", "nrg", "meter", "on").build());

        assertThat(findings).extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.plug_energy_0",
                "ha_entity_unavailable_long:entity:sensor.plug_energy_1", "ha_entity_unavailable_long:entity:sensor.plug_energy_2");
    }

    @Test
    void a_device_finding_names_the_integration_that_owns_the_device_when_ha_says_which() {
        var newShape = findings(ha().entry("zha", "zha", "loaded").device("plug", "Plug", "zha", "").device("other", "Other", "zha", "")
                .entities(2, "sensor.plug", "zha", "plug", "unavailable").entities(2, "sensor.ok", "zha", "other", "on").build());
        assertThat(newShape).singleElement().satisfies(f -> assertThat(f.details()).containsEntry("integration", "zha"));

        // Before 2026.8 a device could belong to several entries without saying which owns it: no guess.
        HaSnapshot base = ha().entry("zha", "zha", "loaded").entry("nrg", "energy_meter", "loaded").device("other", "Other", "zha")
                .entities(2, "sensor.plug", "zha", "plug", "unavailable").entities(2, "sensor.ok", "zha", "other", "on").build();
        List<dev.hadiag.core.ha.DeviceRegistryEntry> devices = new java.util.ArrayList<>(base.devices());
        devices.add(new dev.hadiag.core.ha.DeviceRegistryEntry("plug", "Plug", "", List.of("zha", "nrg"), "", "Acme", "X1"));
        var oldShape = findings(new HaSnapshot(base.states(), base.entities(), devices, base.configEntries()));
        assertThat(oldShape).singleElement().satisfies(f -> assertThat(f.details()).doesNotContainKey("integration"));
    }
}
