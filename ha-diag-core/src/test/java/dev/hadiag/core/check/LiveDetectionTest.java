package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.stale.StaleRules;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stream-fed checks through the use case: flapping (and the unavailable alerts it holds) and stale entities. */
class LiveDetectionTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final InMemoryReportingHistory history = new InMemoryReportingHistory();
    private final RecordingEventSink sink = new RecordingEventSink();
    private final FakeHomeAssistant ha = new FakeHomeAssistant();
    private final AtomicInteger ids = new AtomicInteger();
    private LiveStates live = new LiveStates(new FlapDetector.Settings(6, Duration.ofHours(1), Duration.ofMinutes(30)));
    private final StaleRules rules = new StaleRules(List.of("sensor"), List.of(), List.of(), Duration.ofHours(24), 6.0,
            Duration.ofMinutes(15), 8);
    private Diagnostics diagnostics = newAgent();

    private Diagnostics newAgent() {
        AlertLifecycle.Settings settings = new AlertLifecycle.Settings(Duration.ofHours(24),
                type -> type == dev.hadiag.core.event.AlertType.ENTITY_UNAVAILABLE_LONG ? THRESHOLD : Duration.ZERO);
        FlapHold hold = new FlapHold();
        List<Check> checks = List.of(new UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings.DEFAULTS, store, hold),
                new FlappingCheck(live, hold), new StaleEntitiesCheck(rules, live, history));
        return Diagnostics.builder(ha, store, sink).checks(checks).alerts(settings).events(new AlertEvents("node1", "", "http://ha"))
                .clock(clock).correlationIds(() -> "cid-" + ids.incrementAndGet()).build();
    }

    private Map<String, CheckReport> runAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        Map<String, CheckReport> reports = new java.util.LinkedHashMap<>();
        // flapping first, as its schedule may put it: the unavailable check reads what it holds
        for (String name : List.of(BuiltInCheck.FLAPPING.wire(), BuiltInCheck.UNAVAILABLE_ENTITIES.wire(), BuiltInCheck.STALE_ENTITIES.wire())) {
            reports.put(name, diagnostics.run(name));
        }
        return reports;
    }

    private void plug(String state) {
        ha.snapshot(ha().entry("zha", "zha", "loaded").device("plug", "Kitchen plug", "zha")
                .entity("switch.plug", "zha", "plug", state).entity("sensor.other", "zha", "", "on").build());
    }

    private void change(Duration sinceT0, String entityId, String from, String to) {
        Instant at = T0.plus(sinceT0);
        live.onSignal(new LiveSignal.StateChanged(at, entityId, from, to, at));
    }

    private List<String> types() {
        return sink.events().stream().map(Event::type).toList();
    }

    @Test
    void a_flapping_entity_is_one_flapping_alert_and_its_unavailable_alert_is_held_not_reopened() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        plug("unavailable");
        runAt(Duration.ZERO);
        runAt(Duration.ofMinutes(16));
        assertThat(types()).containsExactly("ha_entity_unavailable_long");
        String incident = sink.events().get(0).correlationId();

        // Up and down every 2 minutes, between two runs: 6 changes open the flapping alert, and the open unavailable
        // alert is resolved once, absorbed by it.
        String state = "unavailable";
        for (int minute = 17; minute <= 27; minute += 2) {
            String next = state.equals("unavailable") ? "on" : "unavailable";
            change(Duration.ofMinutes(minute), "switch.plug", state, next);
            state = next;
        }
        plug(state);
        runAt(Duration.ofMinutes(27).plusSeconds(30));
        assertThat(types()).containsExactly("ha_entity_unavailable_long", "ha_entity_flapping", "ha_entity_recovered");
        Event absorbed = sink.ofType("ha_entity_recovered").get(0);
        assertThat(absorbed.correlationId()).isEqualTo(incident);
        assertThat(absorbed.payload()).containsEntry("absorbed_by", "ha_entity_flapping:entity:switch.plug");

        // It keeps flapping, now with outages longer than the threshold: held, nothing opened or resolved.
        change(Duration.ofMinutes(29), "switch.plug", "unavailable", "on");
        plug("on");
        runAt(Duration.ofMinutes(45));
        change(Duration.ofMinutes(49), "switch.plug", "on", "unavailable");
        plug("unavailable");
        runAt(Duration.ofMinutes(65));
        assertThat(types()).hasSize(3);

        // Quiet for 30 min while down: stable, and the outage is an unavailable alert again.
        runAt(Duration.ofMinutes(49 + 31));
        runAt(Duration.ofMinutes(49 + 32));
        assertThat(types()).containsExactly("ha_entity_unavailable_long", "ha_entity_flapping", "ha_entity_recovered",
                "ha_entity_stable", "ha_entity_unavailable_long");
        assertThat(sink.ofType("ha_entity_stable").get(0).correlationId()).isEqualTo(sink.ofType("ha_entity_flapping").get(0).correlationId());
    }

    @Test
    void two_flapping_entities_of_one_device_are_one_device_alert() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        ha.snapshot(ha().entry("zha", "zha", "loaded").device("plug", "Kitchen plug", "zha")
                .entity("switch.plug", "zha", "plug", "on").entity("sensor.plug_power", "zha", "plug", "on").build());
        for (int i = 0; i < 6; i++) {
            String from = i % 2 == 0 ? "on" : "unavailable";
            String to = i % 2 == 0 ? "unavailable" : "on";
            change(Duration.ofSeconds(i * 10L), "switch.plug", from, to);
            change(Duration.ofSeconds(i * 10L), "sensor.plug_power", from, to);
        }
        runAt(Duration.ofMinutes(1));
        assertThat(sink.ofType("ha_entity_flapping")).singleElement().satisfies(e -> {
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_flapping:device:plug").containsEntry("transitions", 12);
            assertThat(e.payload().get("entities")).isEqualTo(List.of("sensor.plug_power", "switch.plug"));
        });
    }

    @Test
    void without_the_live_stream_flapping_is_skipped_and_with_nothing_flapping_it_asks_ha_nothing() {
        plug("on");
        assertThat(runAt(Duration.ZERO).get(BuiltInCheck.FLAPPING.wire()).status()).isEqualTo(CheckStatus.SKIPPED);
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        change(Duration.ZERO, "switch.plug", "on", "off");
        int calls = ha.calls();
        clock.set(T0.plusSeconds(5));
        assertThat(diagnostics.run(BuiltInCheck.FLAPPING.wire()).status()).isEqualTo(CheckStatus.OK);
        assertThat(ha.calls()).isEqualTo(calls);
    }

    /** States of the watched sensors, all reporting at the given times. */
    private void sensors(Instant thermometer, Instant hygrometer, Instant door) {
        List<EntityState> states = List.of(
                new EntityState("sensor.garden_temperature", "21.5", Map.of(), T0, thermometer),
                new EntityState("sensor.garden_humidity", "55", Map.of(), T0, hygrometer),
                new EntityState("sensor.door_last_opened", "x", Map.of(), T0, door),
                new EntityState("light.porch", "on", Map.of(), T0, T0));
        HaSnapshot snapshot = ha().entry("mqtt", "mqtt", "loaded").device("garden", "Garden station", "mqtt")
                .entity("sensor.garden_temperature", "mqtt", "garden", "21.5").entity("sensor.garden_humidity", "mqtt", "garden", "55")
                .entity("sensor.door_last_opened", "mqtt", "", "x").build();
        ha.snapshot(new HaSnapshot(states, snapshot.entities(), snapshot.devices(), snapshot.configEntries()));
    }

    @Test
    void a_device_whose_periodic_sensors_stop_is_one_stale_alert_and_an_on_change_sensor_is_not_flagged() {
        live.onSignal(new LiveSignal.Connected(T0, "2026.11.0"));
        Instant door = T0;
        List<Long> doorGaps = List.of(40L, 900L, 30L, 3000L, 60L, 200L, 5000L, 20L, 700L);
        int doorIndex = 0;
        Instant last = T0;
        // Every 5 min for 2 hours, seen on the stream; the door on change at irregular times.
        for (int minute = 0; minute <= 120; minute += 5) {
            last = T0.plus(Duration.ofMinutes(minute));
            for (String id : List.of("sensor.garden_temperature", "sensor.garden_humidity")) {
                live.onSignal(new LiveSignal.StateChanged(last, id, "1", "2", last));
            }
            while (doorIndex < doorGaps.size() && door.plusSeconds(doorGaps.get(doorIndex)).isBefore(last)) {
                door = door.plusSeconds(doorGaps.get(doorIndex++));
                live.onSignal(new LiveSignal.StateChanged(door, "sensor.door_last_opened", "a", "b", door));
            }
            sensors(last, last, door);
            runAt(Duration.ofMinutes(minute).plusSeconds(1));
        }
        assertThat(sink.events()).isEmpty();
        assertThat(history.reportingProfiles()).containsOnlyKeys("sensor.garden_temperature", "sensor.garden_humidity",
                "sensor.door_last_opened");

        // They stop; a new agent (restart) keeps what was learned. Caught past 6 x 5 min, not before.
        live = new LiveStates(FlapDetector.Settings.DEFAULTS);
        diagnostics = newAgent();
        runAt(Duration.ofMinutes(120 + 29));
        assertThat(sink.events()).isEmpty();
        Map<String, CheckReport> reports = runAt(Duration.ofMinutes(120 + 31));
        assertThat(sink.ofType("ha_entity_stale")).singleElement().satisfies(e -> {
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_stale:device:garden").containsEntry("learned_gap_s", 300.0)
                    .containsEntry("expectation", "learned");
            assertThat(e.severity()).isEqualTo(dev.hadiag.core.event.Severity.WARNING);
        });
        assertThat(reports.get(BuiltInCheck.STALE_ENTITIES.wire()).status()).isEqualTo(CheckStatus.WARNING);

        // One reports again: the device is no longer wholly stale, the other entity is.
        Instant back = T0.plus(Duration.ofMinutes(152));
        sensors(back, last, door);
        runAt(Duration.ofMinutes(152).plusSeconds(1));
        assertThat(types()).containsExactly("ha_entity_stale", "ha_entity_stale", "ha_entity_reporting");
        List<String> keys = new ArrayList<>();
        sink.events().forEach(e -> keys.add(String.valueOf(e.payload().get("alert_key"))));
        assertThat(keys).containsExactly("ha_entity_stale:device:garden", "ha_entity_stale:entity:sensor.garden_humidity",
                "ha_entity_stale:device:garden");
    }

    @Test
    void nothing_watched_costs_no_call_to_ha() {
        StaleEntitiesCheck check = new StaleEntitiesCheck(StaleRules.DEFAULTS, live, history);
        CheckOutcome outcome = check.run(ha, CheckContext.at(T0));
        assertThat(outcome).isInstanceOf(CheckOutcome.Completed.class);
        assertThat(ha.calls()).isZero();
    }
}
