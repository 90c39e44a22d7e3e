package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import dev.hadiag.core.testing.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: flapping in root-cause order, through the use case with the agent's wiring of the two checks. An
 * install with an MQTT bridge and three devices behind it, an MQTT garden station, and a ZHA plug (two
 * entities) beside another ZHA device. HA's restarts, the bridge's and the broker's outages are no device's
 * flapping; what does flap survives a restart of the agent and is named in its resolution.
 */
class FlappingRootCauseTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(15);
    private static final List<String> CHILDREN = List.of("sensor.child_0", "sensor.child_1", "sensor.child_2");
    private static final List<String> MQTT = List.of("binary_sensor.bridge_connection", "sensor.child_0", "sensor.child_1",
            "sensor.child_2", "sensor.garden_t");
    private static final List<String> PLUG = List.of("switch.plug", "sensor.plug_power");
    private static final List<String> ALL = List.of("binary_sensor.bridge_connection", "sensor.child_0", "sensor.child_1",
            "sensor.child_2", "sensor.garden_t", "switch.plug", "sensor.plug_power", "sensor.other");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final RecordingEventSink sink = new RecordingEventSink();
    private final FakeHomeAssistant ha = new FakeHomeAssistant();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> states = new HashMap<>();
    private final Map<String, Integer> changesSeen = new HashMap<>();
    private FlapDetector.Settings settings = FlapDetector.Settings.DEFAULTS;
    private LiveStates live;
    private Diagnostics diagnostics;

    FlappingRootCauseTest() {
        ALL.forEach(id -> states.put(id, "on"));
        startAgent();
    }

    /** A (new) agent process on the same store: what it knows of the stream is only what it kept there. */
    private void startAgent() {
        live = new LiveStates(settings);
        AlertLifecycle.Settings lifecycle = new AlertLifecycle.Settings(Duration.ofHours(24),
                type -> type == AlertType.ENTITY_UNAVAILABLE_LONG ? THRESHOLD : Duration.ZERO);
        FlapHold hold = new FlapHold(live);
        diagnostics = Diagnostics.builder(ha, store, sink)
                .checks(List.of(new UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings.DEFAULTS, store, hold),
                        new FlappingCheck(live, hold, store)))
                .alerts(lifecycle).events(new AlertEvents("node1", "", "http://ha")).clock(clock)
                .correlationIds(() -> "cid-" + ids.incrementAndGet()).build();
        publish();
    }

    private void publish() {
        Snapshots install = ha().entry("mqtt", "mqtt", "loaded").entry("zha", "zha", "loaded")
                .device("bridge", "Zigbee bridge", "mqtt")
                .deviceVia("c0", "Child 0", "mqtt", "bridge").deviceVia("c1", "Child 1", "mqtt", "bridge").deviceVia("c2", "Child 2", "mqtt", "bridge")
                .device("garden", "Garden station", "mqtt").device("plug", "Kitchen plug", "zha").device("other", "Other", "zha")
                .entity("binary_sensor.bridge_connection", "mqtt", "bridge", states.get("binary_sensor.bridge_connection"));
        for (int i = 0; i < CHILDREN.size(); i++) {
            install.entity(CHILDREN.get(i), "mqtt", "c" + i, states.get(CHILDREN.get(i)));
        }
        install.entity("sensor.garden_t", "mqtt", "garden", states.get("sensor.garden_t"))
                .entity("switch.plug", "zha", "plug", states.get("switch.plug"))
                .entity("sensor.plug_power", "zha", "plug", states.get("sensor.plug_power"))
                .entity("sensor.other", "zha", "other", states.get("sensor.other"));
        ha.snapshot(install.build());
    }

    private Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    /** The entities change state as the stream reports it (the snapshot follows). */
    private void set(Duration sinceT0, List<String> entityIds, String state) {
        for (String id : entityIds) {
            String old = states.put(id, state);
            if (FlapDetector.isAvailabilityChange(old, state)) {
                changesSeen.merge(id, 1, Integer::sum);
            }
            live.onSignal(new LiveSignal.StateChanged(at(sinceT0), id, old, state, at(sinceT0)));
        }
        publish();
    }

    private void runAt(Duration sinceT0) {
        clock.set(at(sinceT0));
        diagnostics.run(BuiltInCheck.FLAPPING.wire());
        diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
    }

    /** An HA restart as the agent sees it: the stop announced, the socket lost, back a minute later, then HA's start. */
    private void haRestart(Duration sinceT0) {
        live.onSignal(new LiveSignal.StopAnnounced(at(sinceT0), "call_service homeassistant.restart"));
        set(sinceT0.plusSeconds(1), ALL, "unavailable"); // what HA writes while it stops, when the socket lives that long
        live.onSignal(new LiveSignal.Disconnected(at(sinceT0.plusSeconds(2)), "closed", LiveSignal.DisconnectCause.CLOSED_BY_HA));
        live.onSignal(new LiveSignal.Connected(at(sinceT0.plusMinutes(1)), "2026.11.0"));
        runAt(sinceT0.plusMinutes(1).plusSeconds(5)); // HA answers, still starting: every placeholder unavailable
        set(sinceT0.plusMinutes(1).plusSeconds(10), ALL, "on"); // the integrations are loaded
        set(sinceT0.plusMinutes(1).plusSeconds(20), PLUG, "unavailable"); // the radio rejoins
        set(sinceT0.plusMinutes(1).plusSeconds(50), PLUG, "on");
        runAt(sinceT0.plusMinutes(2));
    }

    private List<String> types() {
        return sink.events().stream().map(Event::type).toList();
    }

    private void flap(Duration from, List<String> entityIds, int outages) {
        for (int i = 0; i < outages; i++) {
            set(from.plusMinutes(2L * i), entityIds, "unavailable");
            set(from.plusMinutes(2L * i + 1), entityIds, "on");
        }
    }

    @Test
    void a_bridge_outage_a_broker_outage_a_device_outage_and_three_ha_restarts_within_an_hour_write_no_flapping_alert() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        runAt(Duration.ZERO);
        // The bridge loses its radio: the devices behind it go, the bridge's own entity stays.
        set(Duration.ofMinutes(1), CHILDREN, "unavailable");
        runAt(Duration.ofMinutes(2));
        set(Duration.ofMinutes(3), CHILDREN, "on");
        runAt(Duration.ofMinutes(4));
        // The broker restarts: every MQTT entity goes.
        set(Duration.ofMinutes(10), MQTT, "unavailable");
        runAt(Duration.ofMinutes(11));
        set(Duration.ofMinutes(12), MQTT, "on");
        runAt(Duration.ofMinutes(13));
        // The plug goes offline once on its own: two changes that count.
        set(Duration.ofMinutes(15), PLUG, "unavailable");
        runAt(Duration.ofMinutes(16));
        set(Duration.ofMinutes(17), PLUG, "on");
        runAt(Duration.ofMinutes(18));
        for (int minute : List.of(20, 27, 34)) {
            haRestart(Duration.ofMinutes(minute));
        }
        for (int minute = 37; minute <= 60; minute++) {
            runAt(Duration.ofMinutes(minute));
        }

        assertThat(changesSeen.get("sensor.child_0")).as("the stream saw more than enough changes to flap").isGreaterThanOrEqualTo(10);
        assertThat(changesSeen.get("switch.plug")).isGreaterThanOrEqualTo(10);
        assertThat(types()).doesNotContain("ha_entity_flapping");
        assertThat(live.flapping(at(Duration.ofMinutes(60)))).isEmpty();
    }

    @Test
    void after_the_restart_settle_changes_count_again_so_a_real_flapper_still_flaps() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        haRestart(Duration.ofMinutes(1));
        Duration settled = Duration.ofMinutes(2).plus(LiveStates.RESTART_SETTLE);
        flap(settled, PLUG, 3);
        runAt(settled.plusMinutes(6));
        assertThat(sink.ofType("ha_entity_flapping")).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("alert_key", "ha_entity_flapping:device:plug").containsEntry("transitions", 12));
    }

    @Test
    void a_stop_announced_without_a_restart_stops_no_counting_for_longer_than_its_validity() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        // homeassistant.restart called with a broken configuration: HA does not stop.
        live.onSignal(new LiveSignal.StopAnnounced(T0, "call_service homeassistant.restart"));
        // A blip later is still no restart: the announcement is too old to explain it.
        live.onSignal(new LiveSignal.Disconnected(at(Duration.ofMinutes(2).plusSeconds(30)), "reset", LiveSignal.DisconnectCause.OTHER));
        live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(2).plusSeconds(31)), "2026.11.0"));
        flap(Duration.ofMinutes(3), PLUG, 3);
        runAt(Duration.ofMinutes(9));
        assertThat(sink.ofType("ha_entity_flapping")).hasSize(1);
    }

    @Test
    void three_outages_of_a_hub_are_no_flapping_of_the_devices_behind_it_and_three_of_one_device_are() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        for (int i = 0; i < 3; i++) {
            Duration down = Duration.ofMinutes(10L * i + 1);
            set(down, CHILDREN, "unavailable");
            runAt(down.plusSeconds(30));
            set(down.plusMinutes(1), CHILDREN, "on");
            runAt(down.plusMinutes(2));
        }
        assertThat(types()).doesNotContain("ha_entity_flapping");

        // The same three outages of one child alone: that device flaps.
        for (int i = 0; i < 3; i++) {
            Duration down = Duration.ofMinutes(40L + 4 * i);
            set(down, List.of("sensor.child_1"), "unavailable");
            runAt(down.plusSeconds(30));
            set(down.plusMinutes(1), List.of("sensor.child_1"), "on");
            runAt(down.plusMinutes(2));
        }
        assertThat(sink.ofType("ha_entity_flapping")).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("alert_key", "ha_entity_flapping:entity:sensor.child_1"));
    }

    @Test
    void flapping_survives_a_restart_of_the_agent_and_its_resolution_names_the_device() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        flap(Duration.ofMinutes(1), PLUG, 3);
        runAt(Duration.ofMinutes(7));
        assertThat(types()).containsExactly("ha_entity_flapping");
        String incident = sink.events().get(0).correlationId();
        assertThat(sink.events().get(0).payload()).containsEntry("device", "Kitchen plug");

        // The agent restarts; the new process connects and runs.
        startAgent();
        live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(8)), "2026.11.0"));
        runAt(Duration.ofMinutes(9));
        runAt(Duration.ofMinutes(20));
        assertThat(types()).as("still flapping: nothing resolved, nothing opened again").containsExactly("ha_entity_flapping");

        // Quiet for 30 min after its last change (minute 6): stable, once, named as the opening named it.
        runAt(Duration.ofMinutes(6 + 30));
        assertThat(types()).containsExactly("ha_entity_flapping", "ha_entity_stable");
        Event stable = sink.ofType("ha_entity_stable").get(0);
        assertThat(stable.correlationId()).isEqualTo(incident);
        assertThat(stable.payload()).containsEntry("summary", "ha_entity_flapping for device Kitchen plug is over")
                .containsEntry("root_cause", Map.of("kind", "device", "id", "plug", "name", "Kitchen plug"));
    }

    @Test
    void changes_counted_before_a_restart_of_the_agent_still_count_after_it() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        flap(Duration.ofMinutes(1), PLUG, 2);
        runAt(Duration.ofMinutes(5)); // kept in the store
        startAgent();
        live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(6)), "2026.11.0"));
        runAt(Duration.ofMinutes(6));
        flap(Duration.ofMinutes(7), PLUG, 1);
        runAt(Duration.ofMinutes(9));
        assertThat(sink.ofType("ha_entity_flapping")).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("transitions", 12));
    }

    @Test
    void a_flap_hold_keeps_a_real_outage_unreported_no_longer_than_threshold_plus_the_flap_window() {
        // Quiet longer than the window: without the bound, the hold would last the whole quiet period.
        settings = new FlapDetector.Settings(6, Duration.ofMinutes(10), Duration.ofHours(2));
        startAgent();
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        flap(Duration.ofMinutes(1), PLUG, 3); // six changes: it flaps
        set(Duration.ofMinutes(7), PLUG, "unavailable"); // and now it stays down for good
        Duration down = Duration.ofMinutes(7);
        Duration bound = down.plus(THRESHOLD).plus(settings.window());
        for (Duration t = down.plusSeconds(5); t.compareTo(bound) <= 0; t = t.plusSeconds(5)) {
            runAt(t);
        }
        assertThat(types()).containsExactly("ha_entity_flapping", "ha_entity_unavailable_long");
        assertThat(sink.ofType("ha_entity_unavailable_long").get(0).payload()).containsEntry("alert_key", "ha_entity_unavailable_long:device:plug");
        assertThat(sink.ofType("ha_entity_unavailable_long").get(0).timestamp()).isBeforeOrEqualTo(at(bound));
        assertThat(live.flapping(at(bound)).keySet()).as("still flapping meanwhile").isEqualTo(Set.copyOf(PLUG));
    }

    @Test
    void a_network_blip_with_no_sign_of_an_ha_restart_stops_no_counting() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        for (int minute = 1; minute <= 5; minute++) { // the connection resets every minute, back at once
            live.onSignal(new LiveSignal.Disconnected(at(Duration.ofMinutes(minute)), "reset", LiveSignal.DisconnectCause.OTHER));
            live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(minute).plusSeconds(1)), "2026.11.0"));
        }
        flap(Duration.ofMinutes(1).plusSeconds(10), PLUG, 3);
        runAt(Duration.ofMinutes(8));
        assertThat(sink.ofType("ha_entity_flapping")).hasSize(1);
    }

    @Test
    void an_ha_restart_the_agent_did_not_hear_announced_still_settles_when_ha_refused_or_the_outage_was_long() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        // Killed: the socket drops, the port refuses; back 5 s later.
        live.onSignal(new LiveSignal.Disconnected(at(Duration.ofMinutes(1)), "reset", LiveSignal.DisconnectCause.OTHER));
        live.onSignal(new LiveSignal.Disconnected(at(Duration.ofMinutes(1).plusSeconds(1)), "refused", LiveSignal.DisconnectCause.REFUSED));
        live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(1).plusSeconds(5)), "2026.11.0"));
        flap(Duration.ofMinutes(1).plusSeconds(10), PLUG, 1);
        // The host gone for a minute (timeouts only), then back.
        live.onSignal(new LiveSignal.Disconnected(at(Duration.ofMinutes(4)), "timeout", LiveSignal.DisconnectCause.UNREACHABLE));
        live.onSignal(new LiveSignal.Connected(at(Duration.ofMinutes(5)), "2026.11.0"));
        flap(Duration.ofMinutes(5).plusSeconds(10), PLUG, 1);
        runAt(Duration.ofMinutes(7).plusSeconds(30));
        assertThat(live.flapMemory()).as("nothing counted").isEmpty();
    }
}
