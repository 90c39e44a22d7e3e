package dev.hadiag.core.alert;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.OpenAlert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** name, decisions, open storms, open after the run, then: held count, started types, ended types. */
    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("at the limit: all written, no storm", openings(UNAVAILABLE, "entity", MAX), Set.of(),
                        Map.of(UNAVAILABLE, MAX), 0, List.of(), List.of()),
                Arguments.of("one beyond: one held and a storm", openings(UNAVAILABLE, "entity", MAX + 1), Set.of(),
                        Map.of(UNAVAILABLE, MAX + 1), 1, List.of(UNAVAILABLE), List.of()),
                Arguments.of("the limit is per type", concat(openings(UNAVAILABLE, "entity", MAX), openings(AlertType.UPDATE_AVAILABLE, "update", MAX)),
                        Set.of(), Map.of(UNAVAILABLE, MAX, AlertType.UPDATE_AVAILABLE, MAX), 0, List.of(), List.of()),
                Arguments.of("a storm already open: held, no second storm", openings(UNAVAILABLE, "entity", 3 * MAX), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, 6 * MAX), 2 * MAX, List.of(), List.of()),
                Arguments.of("resolutions are never capped (one of a withheld opening is the delivery stage's to withhold)",
                        IntStream.range(0, 3 * MAX).mapToObj(i -> resolve("k" + i)).toList(), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, MAX + 1), 0, List.of(), List.of()),
                Arguments.of("the open count back at the limit ends the storm", List.of(resolve("k0")), Set.of(UNAVAILABLE),
                        Map.of(UNAVAILABLE, MAX), 0, List.of(), List.of(UNAVAILABLE)),
                Arguments.of("nothing happening still ends a storm whose alerts are gone", List.of(), Set.of(UNAVAILABLE),
                        Map.of(), 0, List.of(), List.of(UNAVAILABLE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void the_plan_holds_openings_beyond_the_limit(String name, List<AlertDecision> decisions, Set<AlertType> storms,
            Map<AlertType, Integer> openAfter, int held, List<AlertType> started, List<AlertType> ended) {
        StormGuard.Plan plan = guard.plan(decisions, storms, openAfter);
        assertThat(plan.held()).hasSize(held);
        assertThat(plan.started()).extracting(StormGuard.Storm::type).containsExactlyElementsOf(started);
        assertThat(plan.ended()).containsExactlyElementsOf(ended);
    }

    @Test
    void the_storm_counts_openings_per_root_cause_kind_and_lists_the_first_held_keys_in_order() {
        StormGuard.Storm storm = guard.plan(concat(openings(UNAVAILABLE, "device", 3), openings(UNAVAILABLE, "entity", 40)),
                Set.of(), Map.of()).started().get(0);
        Finding finding = storm.finding(T0);

        assertThat(finding.alertKey()).isEqualTo("ha_alert_storm:storm:ha_entity_unavailable_long");
        assertThat(finding.details()).containsEntry("openings", 43).containsEntry("written", MAX).containsEntry("held", 38)
                .containsEntry("by_kind", Map.of("device", 3, "entity", 40)).containsEntry("max_events_per_run", MAX);
        assertThat(storm.firstHeldKeys()).hasSize(StormGuard.FIRST_KEYS)
                .startsWith("ha_entity_unavailable_long:entity:entity2", "ha_entity_unavailable_long:entity:entity3");
        assertThat(finding.severity()).isEqualTo(Severity.WARNING);
    }
}
