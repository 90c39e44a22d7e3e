package dev.hadiag.core.alert;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StormGuardTest {

    static final int MAX = 5;
    final StormGuard guard = new StormGuard(MAX);

    static Finding finding(AlertType type, String kind, String id) {
        return new Finding(type, Severity.WARNING, new RootCause(RootCause.Kind.fromWire(kind), id, id), id, List.of(id), T0, Map.of());
    }

    static List<AlertDecision> openings(AlertType type, String kind, int n) {
        return IntStream.range(0, n).<AlertDecision>mapToObj(i -> new AlertDecision.Open(finding(type, kind, kind + i), "c" + i)).toList();
    }

    static AlertDecision resolve(String key) {
        return new AlertDecision.Resolve(new OpenAlert(key, "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c", T0, T0,
                List.of()), "");
    }

    static List<AlertDecision> concat(List<AlertDecision> a, List<AlertDecision> b) {
        List<AlertDecision> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static final AlertType UNAVAILABLE = AlertType.ENTITY_UNAVAILABLE_LONG;

    /** name, decisions, unwritten keys, open storms, open after the run, then: held count, started types, ended types. */
    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("at the limit: all written, no storm", openings(UNAVAILABLE, "entity", MAX), Set.of(), Set.of(),
                        Map.of(UNAVAILABLE, MAX), 0, List.of(), List.of()),
                Arguments.of("one beyond: one held and a storm", openings(UNAVAILABLE, "entity", MAX + 1), Set.of(), Set.of(),
                        Map.of(UNAVAILABLE, MAX + 1), 1, List.of(UNAVAILABLE), List.of()),
                Arguments.of("the limit is per type", concat(openings(UNAVAILABLE, "entity", MAX), openings(AlertType.UPDATE_AVAILABLE, "update", MAX)),
                        Set.of(), Set.of(), Map.of(UNAVAILABLE, MAX, AlertType.UPDATE_AVAILABLE, MAX), 0, List.of(), List.of()),
                Arguments.of("a storm already open: held, no second storm", openings(UNAVAILABLE, "entity", 3 * MAX), Set.of(), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, 6 * MAX), 2 * MAX, List.of(), List.of()),
                Arguments.of("resolutions are never capped, but one of a held opening is held",
                        IntStream.range(0, 3 * MAX).mapToObj(i -> resolve("k" + i)).toList(), Set.of("k0", "k1"), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, MAX + 1), 2, List.of(), List.of()),
                Arguments.of("the open count back at the limit ends the storm", List.of(resolve("k0")), Set.of(), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, MAX), 0, List.of(), List.of(UNAVAILABLE)),
                Arguments.of("nothing happening still ends a storm whose alerts are gone", List.of(), Set.of(), Set.of(UNAVAILABLE),
                        Map.of(), 0, List.of(), List.of(UNAVAILABLE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void the_plan_holds_openings_beyond_the_limit_and_whatever_follows_a_held_opening(String name, List<AlertDecision> decisions,
            Set<String> unwritten, Set<AlertType> storms, Map<AlertType, Integer> openAfter, int held, List<AlertType> started,
            List<AlertType> ended) {
        StormGuard.Plan plan = guard.plan(decisions, unwritten, storms, openAfter);
        assertThat(plan.held()).hasSize(held);
        assertThat(plan.started()).extracting(StormGuard.Storm::type).containsExactlyElementsOf(started);
        assertThat(plan.ended()).containsExactlyElementsOf(ended);
    }

    @Test
    void the_storm_counts_openings_per_root_cause_kind_and_lists_the_first_held_keys_in_order() {
        StormGuard.Storm storm = guard.plan(concat(openings(UNAVAILABLE, "device", 3), openings(UNAVAILABLE, "entity", 40)),
                Set.of(), Set.of(), Map.of()).started().get(0);
        Finding finding = storm.finding(T0);

        assertThat(finding.alertKey()).isEqualTo("ha_alert_storm:storm:ha_entity_unavailable_long");
        assertThat(finding.details()).containsEntry("openings", 43).containsEntry("written", MAX).containsEntry("held", 38)
                .containsEntry("by_kind", Map.of("device", 3, "entity", 40)).containsEntry("max_events_per_run", MAX);
        assertThat(storm.firstHeldKeys()).hasSize(StormGuard.FIRST_KEYS)
                .startsWith("ha_entity_unavailable_long:entity:entity2", "ha_entity_unavailable_long:entity:entity3");
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    }

    // --- through the lifecycle and a store: what is written, what is tracked ---

    final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    final AtomicInteger ids = new AtomicInteger();
    final AlertLifecycle.Settings settings = new AlertLifecycle.Settings(Duration.ofHours(24), type -> Duration.ZERO);

    List<AlertDecision> run(Instant at, int causes) {
        List<Finding> findings = IntStream.range(0, causes)
                .mapToObj(i -> finding(UNAVAILABLE, "entity", String.format("sensor.s%05d", i))).toList();
        List<AlertDecision> written = new ArrayList<>();
        new AlertLifecycle(store, settings, () -> "cid-" + ids.incrementAndGet(), guard)
                .apply("unavailable_entities", findings, List.of(), at, written::add);
        return written;
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
        assertThat(store.stormHeld()).isEmpty();
        // The resolutions written are exactly those of the openings written, with their ids.
        assertThat(over.stream().filter(d -> d instanceof AlertDecision.Resolve r && r.alert().type() == UNAVAILABLE)
                .map(AlertDecision::correlationId)).containsExactlyInAnyOrderElementsOf(opened.stream()
                .filter(d -> d instanceof AlertDecision.Open o && o.finding().type() == UNAVAILABLE).map(AlertDecision::correlationId).toList());
    }

    @Test
    void a_storm_that_goes_on_unchanged_rewrites_neither_the_held_openings_nor_the_pending_causes() {
        run(T0, 200);
        int held = store.writes("unwritten");
        int pending = store.writes("pending:unavailable_entities");
        Map<String, Instant> heldKeys = store.stormHeld();

        assertThat(run(T0.plusSeconds(60), 200)).isEmpty();

        assertThat(store.writes("unwritten")).isEqualTo(held);
        assertThat(store.writes("pending:unavailable_entities")).isEqualTo(pending);
        assertThat(store.stormHeld()).hasSize(200 - MAX).isEqualTo(heldKeys);
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
        store.replaceStormHeld(Map.of("ha_entity_unavailable_long:entity:sensor.s00000", T0));
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
