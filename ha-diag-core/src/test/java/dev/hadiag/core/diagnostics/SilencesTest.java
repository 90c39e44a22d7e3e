package dev.hadiag.core.diagnostics;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.IntentReconciliation;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The semantics of silences and maintenance (issue #16), on the real use case with in-memory ports. */
class SilencesTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(15);
    private static final String MAINTENANCE = "input_boolean.maintenance";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final RecordingEventSink sink = new RecordingEventSink();
    private final FakeHomeAssistant ha = new FakeHomeAssistant();
    private final AtomicInteger ids = new AtomicInteger();
    private Diagnostics diagnostics = newAgent();

    private Diagnostics newAgent() {
        AlertLifecycle.Settings settings = new AlertLifecycle.Settings(Duration.ofHours(24), type -> THRESHOLD);
        AlertEvents events = new AlertEvents("node1", "ken", "http://ha:8123");
        return Diagnostics.builder(ha, store, sink).checks(new UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings.DEFAULTS, store))
                .alerts(settings).events(events).clock(clock).correlationIds(() -> "cid-" + ids.incrementAndGet())
                .silences(new SilenceGate(store, events, ha, new SilenceGate.Settings(MAINTENANCE, Duration.ofSeconds(5))))
                .build();
    }

    private void garage(String state) {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.garage_temp", "zha", "", state)
                .entity("sensor.kitchen", "zha", "", "on").entity(MAINTENANCE, "", "", maintenance).build());
    }

    private String maintenance = "off";

    private void runAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        diagnostics.pollSilences();
    }

    private void pollAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        diagnostics.pollSilences();
    }

    private Silence silenceGarage(Duration duration) {
        return store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.garage_*")), duration, clock.instant(),
                "replacing batteries", "ken"));
    }

    private List<String> types() {
        return sink.events().stream().map(Event::type).toList();
    }

    /** What the agent's silence poll sleeps until, rather than waking every second: time alone changes nothing else. */
    @Test
    void the_next_silence_change_is_a_start_or_end_not_yet_announced_else_nothing_but_a_write() {
        AlertEvents events = new AlertEvents("node1", "ken", "http://ha:8123");
        Diagnostics noMaintenance = Diagnostics.builder(ha, store, sink).clock(clock)
                .silences(new SilenceGate(store, events, ha, SilenceGate.Settings.NO_MAINTENANCE)).build();
        assertThat(noMaintenance.nextSilenceChange()).as("no silence").isEmpty();

        Silence silence = silenceGarage(Duration.ofMinutes(10));
        assertThat(noMaintenance.nextSilenceChange()).as("its start not announced yet: due now").contains(silence.startsAt());
        noMaintenance.pollSilences();
        assertThat(noMaintenance.nextSilenceChange()).as("started: its end").contains(silence.endsAt());

        clock.set(silence.endsAt().minusMillis(1));
        noMaintenance.pollSilences();
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED);
        clock.set(silence.endsAt());
        noMaintenance.pollSilences();
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED);
        assertThat(noMaintenance.nextSilenceChange()).as("every start and end announced: only a new silence brings work").isEmpty();
    }

    @Test
    void with_a_maintenance_entity_the_next_silence_change_is_at_latest_its_next_read() {
        garage("on");
        pollAt(Duration.ZERO);
        assertThat(diagnostics.nextSilenceChange()).contains(T0.plusSeconds(5));
        silenceGarage(Duration.ofSeconds(2));
        pollAt(Duration.ofSeconds(1));
        assertThat(diagnostics.nextSilenceChange()).as("the silence ends before the next read").contains(T0.plusSeconds(2));
    }

    private static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    @Test
    void a_silences_start_and_end_carry_the_fields_every_event_carries_with_an_alert_key_of_their_own() {
        Silence silence = silenceGarage(min(30));
        pollAt(min(0));
        pollAt(min(30));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED);
        for (Event event : sink.events()) {
            assertThat(event.payload()).containsEntry("check", "silences").containsEntry("location_tag", "ken")
                    .containsEntry("ha_url", "http://ha:8123").containsEntry("alert_key", "silence:" + silence.id())
                    .containsEntry("silence_id", silence.id()).containsEntry("comment", "replacing batteries");
            assertThat(event.correlationId()).isEqualTo("silence-" + silence.id());
        }
        assertThat(sink.events().get(0).payload().get("summary")).isEqualTo("silence " + silence.id() + " started: entity=sensor.garage_* until "
                + T0.plus(min(30)) + " (replacing batteries)");
        assertThat(sink.events().get(1).payload().get("summary")).isEqualTo("silence " + silence.id() + " ended: entity=sensor.garage_* (replacing batteries)");
    }

    @Test
    void a_silenced_entity_going_down_writes_nothing_until_the_silence_expires_then_its_opening_under_the_alerts_id() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED);
        assertThat(store.allOpenAlerts()).as("tracked all the same").hasSize(1);

        pollAt(min(59));
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED);
        pollAt(min(60));
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED,
                EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
        Event opening = sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).get(0);
        assertThat(opening.correlationId()).isEqualTo(store.allOpenAlerts().get(0).correlationId());
        assertThat(opening.timestamp()).isEqualTo(T0.plus(min(60)));
        assertThat(opening.payload()).containsEntry("entities", List.of("sensor.garage_temp"))
                .containsEntry("held_since", T0.plus(THRESHOLD).toString());

        pollAt(min(61));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("written once").hasSize(1);
        garage("on");
        runAt(min(70));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_RECOVERED)).singleElement()
                .extracting(Event::correlationId).isEqualTo(opening.correlationId());
    }

    @Test
    void a_run_whose_opening_a_silence_holds_back_reports_no_event_emitted_and_one_that_writes_reports_it() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        clock.set(T0.plus(THRESHOLD));
        CheckReport held = diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        assertThat(store.allOpenAlerts()).hasSize(1);
        assertThat(held.eventsEmitted()).as("the opening was withheld, not written").isZero();

        pollAt(min(60)); // the silence ends: its opening is written by the poll, not by a run
        garage("on");
        clock.set(T0.plus(min(70)));
        CheckReport resolved = diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        assertThat(resolved.eventsEmitted()).isEqualTo(1);
    }

    @Test
    void an_alert_that_opens_and_resolves_while_silenced_writes_neither_its_opening_nor_its_resolution_ever() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        garage("on");
        runAt(min(30));
        assertThat(store.allOpenAlerts()).isEmpty();
        pollAt(min(60));
        pollAt(min(61));
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED);
        assertThat(store.withheld()).isEmpty();
    }

    @Test
    void an_alert_opened_before_the_silence_writes_its_resolution_during_it() {
        garage("unavailable");
        runAt(min(0));
        runAt(THRESHOLD);
        silenceGarage(min(60));
        pollAt(min(16));
        garage("on");
        runAt(min(20));
        assertThat(types()).containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_DIAG_SILENCE_STARTED,
                EventTypes.HA_ENTITY_RECOVERED);
    }

    @Test
    void alerts_no_silence_matches_are_written_as_ever() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.garage_temp", "zha", "", "unavailable")
                .entity("sensor.kitchen", "zha", "", "unavailable").entity("sensor.ok", "zha", "", "on").build());
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("entities", List.of("sensor.kitchen")));
    }

    @Test
    void a_label_silence_matches_the_HA_labels_of_the_alerts_entities() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.shed", "zha", "", "unavailable", "", List.of("outdoor"))
                .entity("sensor.attic", "zha", "", "unavailable", "", List.of("indoor")).entity("sensor.ok", "zha", "", "on").build());
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("label=out*")), min(60), clock.instant(), "", "ken"));
        runAt(min(0));
        runAt(THRESHOLD);
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("entities", List.of("sensor.attic"))
                        .containsEntry("labels", List.of("indoor")));
        assertThat(store.withheld()).singleElement()
                .satisfies(w -> assertThat(((Withheld.Silenced) w.reason()).opening().entities()).containsExactly("sensor.shed"));
    }

    @Test
    void expiring_a_silence_early_writes_its_end_and_the_held_opening_at_the_next_poll() {
        garage("unavailable");
        Silence silence = silenceGarage(min(120));
        runAt(min(0));
        runAt(THRESHOLD);
        clock.set(T0.plus(min(20)));
        store.expireSilence(silence.id(), clock.instant());
        diagnostics.pollSilences();
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED,
                EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
        Event ended = sink.ofType(EventTypes.HA_DIAG_SILENCE_ENDED).get(0);
        assertThat(ended.payload()).containsEntry("expired_early", true).containsEntry("silence_id", silence.id())
                .containsEntry("comment", "replacing batteries");
        assertThat(ended.correlationId()).isEqualTo(sink.ofType(EventTypes.HA_DIAG_SILENCE_STARTED).get(0).correlationId());
    }

    @Test
    void a_held_alert_stays_held_while_another_silence_still_covers_it() {
        garage("unavailable");
        silenceGarage(min(30));
        store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("type=ha_entity_*")), min(90), clock.instant(), "", "ken"));
        runAt(min(0));
        runAt(THRESHOLD);
        pollAt(min(30));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).isEmpty();
        pollAt(min(90));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);
    }

    @Test
    void an_opening_another_guard_held_back_is_not_written_when_a_silence_ends() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        Withheld bySilence = store.withheld().get(0);
        store.withhold(List.of(new Withheld(bySilence.alertKey(), bySilence.correlationId(), new Withheld.Storm(), bySilence.since())));
        pollAt(min(60));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).isEmpty();
        assertThat(store.withheld()).hasSize(1);
    }

    @Test
    void maintenance_on_silences_every_alert_and_off_writes_what_it_held() {
        maintenance = "on";
        garage("unavailable");
        pollAt(min(0));
        assertThat(diagnostics.maintenanceActive()).isTrue();
        runAt(min(0));
        runAt(THRESHOLD);
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED);
        assertThat(sink.events().get(0).payload()).containsEntry("maintenance", true);

        maintenance = "off";
        garage("unavailable");
        pollAt(min(20));
        assertThat(diagnostics.maintenanceActive()).isFalse();
        assertThat(types()).containsExactly(EventTypes.HA_DIAG_SILENCE_STARTED, EventTypes.HA_DIAG_SILENCE_ENDED,
                EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
    }

    @Test
    void maintenance_is_read_from_HA_no_more_often_than_its_poll_interval() {
        maintenance = "on";
        garage("on");
        pollAt(min(0));
        int calls = ha.calls();
        clock.set(T0.plusSeconds(4));
        diagnostics.pollSilences();
        assertThat(ha.calls()).isEqualTo(calls);
        clock.set(T0.plusSeconds(5));
        diagnostics.pollSilences();
        assertThat(ha.calls()).isEqualTo(calls + 1);
    }

    @Test
    void a_kill_right_after_the_held_opening_is_written_neither_loses_nor_repeats_it() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        clock.set(T0.plus(min(60)));
        sink.killAfterWriting(2); // the silence's end event, then the opening: killed before the store hears of it
        assertThatThrownBy(diagnostics::pollSilences).isInstanceOf(RecordingEventSink.ProcessKilled.class);
        IntentReconciliation.reconcile(store, sink.asLog(), "node1");
        diagnostics = newAgent();
        pollAt(min(61));
        runAt(min(62));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);
        assertThat(sink.ofType(EventTypes.HA_DIAG_SILENCE_ENDED)).hasSize(1);
        garage("on");
        runAt(min(70));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_RECOVERED)).hasSize(1);
    }

    @Test
    void a_kill_before_the_held_opening_is_written_writes_it_after_the_restart() {
        garage("unavailable");
        silenceGarage(min(60));
        runAt(min(0));
        runAt(THRESHOLD);
        clock.set(T0.plus(min(60)));
        sink.killAfterWriting(1); // the silence's end event only
        assertThatThrownBy(diagnostics::pollSilences).isInstanceOf(RecordingEventSink.ProcessKilled.class);
        IntentReconciliation.reconcile(store, sink.asLog(), "node1");
        diagnostics = newAgent();
        pollAt(min(61));
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);
    }
}
