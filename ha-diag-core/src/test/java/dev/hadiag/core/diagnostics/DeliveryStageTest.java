package dev.hadiag.core.diagnostics;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.CorrelationIds;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.RecordingEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The one delivery stage: its holding rules in order (the storm guard, silences), the one {@link Withheld} record
 * behind them, and that what it returns is what it wrote, on the lifecycle and in-memory ports.
 */
class DeliveryStageTest {

    static final int MAX = 5;
    static final String CHECK = "unavailable_entities";
    static final AlertType UNAVAILABLE = AlertType.ENTITY_UNAVAILABLE_LONG;

    final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    final RecordingEventSink sink = new RecordingEventSink();
    final AtomicInteger ids = new AtomicInteger();
    final AlertEvents events = new AlertEvents("node1", "", "");
    final SilenceGate silences = new SilenceGate(store, events, new FakeHomeAssistant(), SilenceGate.Settings.NO_MAINTENANCE);
    final AlertLifecycle lifecycle = new AlertLifecycle(store, new AlertLifecycle.Settings(Duration.ofHours(24), type -> Duration.ZERO),
            () -> "cid-" + ids.incrementAndGet());
    final DeliveryStage stage = new DeliveryStage(store, sink, events, new StormGuard(MAX), new CorrelationIds(store, () -> "cid-" + ids.incrementAndGet()),
            List.of(silences));

    static Finding finding(AlertType type, String kind, String id) {
        return new Finding(type, Severity.WARNING, new RootCause(RootCause.Kind.fromWire(kind), id, id), id, List.of(id), T0, Map.of());
    }

    @Test
    void a_silenced_opening_is_recorded_withheld_tracked_open_and_not_returned_as_written() {
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.s00001")), Duration.ofHours(1), T0, "", "ken"));
        List<AlertDecision> written = run(T0, 3);
        assertThat(written).extracting(AlertDecision::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.s00000",
                "ha_entity_unavailable_long:entity:sensor.s00002");
        assertThat(store.allOpenAlerts()).hasSize(3);
        assertThat(store.withheld()).singleElement().satisfies(w -> {
            assertThat(w.alertKey()).isEqualTo("ha_entity_unavailable_long:entity:sensor.s00001");
            assertThat(w.reason()).isInstanceOf(Withheld.Silenced.class);
        });
    }

    @Test
    void storm_and_silence_withhold_through_one_record_and_only_the_silences_is_released() {
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.s00001")), Duration.ofMinutes(10), T0, "", "ken"));
        run(T0, MAX + 2); // s00001 silenced; s00005 and s00006 beyond the limit; the storm's own opening
        assertThat(store.withheld()).hasSize(3).extracting(w -> w.reason() instanceof Withheld.Silenced).containsExactlyInAnyOrder(true, false, false);

        sink.clear();
        stage.release(T0.plus(Duration.ofMinutes(10)));
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_unavailable_long:entity:sensor.s00001")
                    .containsEntry("held_since", T0.toString());
        });
        assertThat(stormHeld()).containsExactlyInAnyOrder("ha_entity_unavailable_long:entity:sensor.s00005",
                "ha_entity_unavailable_long:entity:sensor.s00006");
        stage.release(T0.plus(Duration.ofMinutes(11)));
        assertThat(sink.events()).as("written once").hasSize(1);
    }

    @Test
    void the_resolution_of_a_withheld_opening_is_not_written_and_ends_the_record() {
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.s00000")), Duration.ofHours(1), T0, "", "ken"));
        run(T0, 1);
        assertThat(run(T0.plusSeconds(60), 0)).isEmpty();
        assertThat(sink.events()).isEmpty();
        assertThat(store.withheld()).isEmpty();
        assertThat(store.allOpenAlerts()).isEmpty();
    }

    @Test
    void an_event_reported_opening_a_silence_covers_is_withheld_like_a_runs() {
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("type=ha_websocket_dead")), Duration.ofHours(1), T0, "", "ken"));
        Finding dead = new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT, "dead", List.of(), T0, Map.of());
        assertThat(lifecycle.open(dead, Diagnostics.WEBSOCKET, T0, stage)).as("opened").isTrue();
        assertThat(sink.events()).isEmpty();
        assertThat(store.withheld()).hasSize(1);
        lifecycle.resolve(dead.alertKey(), T0.plusSeconds(5), stage);
        assertThat(sink.events()).isEmpty();
        assertThat(store.withheld()).isEmpty();
    }

    @Test
    void notices_go_out_through_the_stage_too() {
        Event notice = events.notice("heartbeat", EventTypes.HA_RESTARTED, "cid", "HA restarted", Map.of(), T0);
        stage.notice(notice);
        assertThat(sink.events()).containsExactly(notice);
    }

    // --- the storm guard: what is written, what is tracked ---

    List<AlertDecision> run(Instant at, int causes) {
        List<Finding> findings = IntStream.range(0, causes)
                .mapToObj(i -> finding(UNAVAILABLE, "entity", String.format("sensor.s%05d", i))).toList();
        int before = sink.events().size();
        List<AlertDecision> written = lifecycle.apply(CHECK, findings, List.of(), at, stage);
        assertThat(sink.events()).as("what the stage says it wrote is what it wrote").hasSize(before + written.size());
        return written;
    }

    List<String> stormHeld() {
        return store.withheld(Withheld.Storm.class).stream().map(Withheld::alertKey).toList();
    }

    static long count(List<AlertDecision> written, Class<?> kind, AlertType type) {
        return written.stream().filter(kind::isInstance).filter(d -> typeOf(d) == type).count();
    }

    static AlertType typeOf(AlertDecision decision) {
        if (decision instanceof AlertDecision.Open open) {
            return open.finding().type();
        }
        return decision instanceof AlertDecision.Repeat repeat ? repeat.alert().type() : ((AlertDecision.Resolve) decision).alert().type();
    }

    @Test
    void a_storm_writes_the_limit_plus_one_tracks_every_alert_and_its_end_writes_only_what_was_opened_plus_one() {
        List<AlertDecision> opened = run(T0, 200);
        assertThat(opened).hasSize(MAX + 1);
        assertThat(count(opened, AlertDecision.Open.class, UNAVAILABLE)).isEqualTo(MAX);
        assertThat(count(opened, AlertDecision.Open.class, AlertType.ALERT_STORM)).isEqualTo(1);
        assertThat(store.allOpenAlerts()).hasSize(201);

        assertThat(run(T0.plusSeconds(60), 200)).as("the storm goes on: nothing new").isEmpty();

        List<AlertDecision> over = run(T0.plusSeconds(120), 0);
        assertThat(count(over, AlertDecision.Resolve.class, UNAVAILABLE)).isEqualTo(MAX);
        assertThat(count(over, AlertDecision.Resolve.class, AlertType.ALERT_STORM)).isEqualTo(1);
        assertThat(over).hasSize(MAX + 1);
        assertThat(store.allOpenAlerts()).isEmpty();
        assertThat(store.withheld()).isEmpty();
        // The resolutions written are exactly those of the openings written, with their ids.
        assertThat(over.stream().filter(d -> d instanceof AlertDecision.Resolve r && r.alert().type() == UNAVAILABLE)
                .map(AlertDecision::correlationId)).containsExactlyInAnyOrderElementsOf(opened.stream()
                .filter(d -> d instanceof AlertDecision.Open o && o.finding().type() == UNAVAILABLE).map(AlertDecision::correlationId).toList());
    }

    @Test
    void a_storm_that_goes_on_unchanged_rewrites_neither_the_held_openings_nor_the_pending_causes() {
        run(T0, 200);
        int held = store.withholdWrites();
        int pending = store.writes("pending:unavailable_entities");
        List<String> heldKeys = stormHeld();

        assertThat(run(T0.plusSeconds(60), 200)).isEmpty();

        assertThat(store.withholdWrites()).isEqualTo(held);
        assertThat(store.writes("pending:unavailable_entities")).isEqualTo(pending);
        assertThat(stormHeld()).hasSize(200 - MAX).isEqualTo(heldKeys);
    }

    @Test
    void a_held_alert_is_never_repeated_on_disk() {
        run(T0, MAX + 3);
        List<AlertDecision> repeated = run(T0.plus(Duration.ofHours(25)), MAX + 3);
        assertThat(repeated).hasSize(MAX).allMatch(d -> d instanceof AlertDecision.Repeat);
    }

    @Test
    void the_storm_ends_once_the_open_alerts_of_its_type_are_back_at_the_limit_and_the_rest_end_silently() {
        run(T0, 3 * MAX);
        assertThat(run(T0.plusSeconds(60), MAX + 1)).as("still above the limit").noneMatch(d -> d instanceof AlertDecision.Resolve r
                && r.alert().type() == AlertType.ALERT_STORM);
        List<AlertDecision> back = run(T0.plusSeconds(120), MAX);
        assertThat(count(back, AlertDecision.Resolve.class, AlertType.ALERT_STORM)).isEqualTo(1);
        assertThat(store.allOpenAlerts()).hasSize(MAX);
        // The alerts left open were written at the start (the first MAX of the run): their end is written.
        assertThat(count(run(T0.plusSeconds(180), 0), AlertDecision.Resolve.class, UNAVAILABLE)).isEqualTo(MAX);
    }

    @Test
    void a_held_mark_left_by_a_run_that_failed_half_way_does_not_hide_the_end_of_a_written_opening() {
        store.withhold(List.of(new Withheld("ha_entity_unavailable_long:entity:sensor.s00000", "cid-left", new Withheld.Storm(), T0)));
        assertThat(run(T0, 1)).singleElement().isInstanceOf(AlertDecision.Open.class);
        assertThat(run(T0.plusSeconds(60), 0)).singleElement().isInstanceOf(AlertDecision.Resolve.class);
    }

    @Test
    void a_second_storm_after_the_first_ended_is_a_new_incident() {
        List<AlertDecision> first = run(T0, MAX + 1);
        run(T0.plusSeconds(60), 0);
        List<AlertDecision> second = run(T0.plusSeconds(120), MAX + 1);
        String firstId = first.stream().filter(d -> d.alertKey().startsWith("ha_alert_storm")).findFirst().orElseThrow().correlationId();
        assertThat(second).filteredOn(d -> d.alertKey().startsWith("ha_alert_storm")).singleElement()
                .satisfies(d -> assertThat(d.correlationId()).isNotEqualTo(firstId));
    }
}
