package dev.hadiag.core.alert;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {

    static final Duration THRESHOLD = Duration.ofMinutes(15);
    final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    final AtomicInteger ids = new AtomicInteger();
    final AlertLifecycle.Settings settings = new AlertLifecycle.Settings(Duration.ofHours(24),
            type -> type == AlertType.ENTITY_UNAVAILABLE_LONG ? THRESHOLD : Duration.ZERO);

    AlertLifecycle lifecycle() {
        // A new instance per call: every decision must come from the store, as after an agent restart.
        return new AlertLifecycle(store, settings, () -> "cid-" + ids.incrementAndGet());
    }

    static Finding entity(String id, Instant since) {
        return new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.ENTITY, id, id), id + " is unavailable",
                List.of(id), since, Map.of());
    }

    static Finding device(String id, Instant since, String... entities) {
        return new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, id, id), id + " offline",
                List.of(entities), since, Map.of());
    }

    List<AlertDecision> run(Instant at, Finding... findings) {
        return lifecycle().apply("unavailable_entities", List.of(findings), at);
    }

    @Test
    void an_entity_back_before_the_threshold_emits_nothing() {
        assertThat(run(T0, entity("sensor.a", T0))).isEmpty();
        assertThat(run(T0.plus(Duration.ofMinutes(10)), entity("sensor.a", T0))).isEmpty();
        assertThat(run(T0.plus(Duration.ofMinutes(11)))).isEmpty();
        assertThat(run(T0.plus(Duration.ofMinutes(20)))).isEmpty();
        assertThat(store.allOpenAlerts()).isEmpty();
    }

    @Test
    void past_the_threshold_an_alert_opens_once_and_repeats_only_after_the_interval() {
        assertThat(run(T0, entity("sensor.a", T0))).isEmpty();
        List<AlertDecision> opened = run(T0.plus(THRESHOLD), entity("sensor.a", T0));
        assertThat(opened).singleElement().isInstanceOf(AlertDecision.Open.class);
        assertThat(run(T0.plus(Duration.ofHours(1)), entity("sensor.a", T0))).isEmpty();

        List<AlertDecision> repeated = run(T0.plus(THRESHOLD).plus(Duration.ofHours(24)), entity("sensor.a", T0));
        assertThat(repeated).singleElement().isInstanceOfSatisfying(AlertDecision.Repeat.class,
                r -> assertThat(r.correlationId()).isEqualTo(opened.get(0).correlationId()));
    }

    @Test
    void the_resolution_carries_the_open_alerts_correlation_id() {
        String cid = run(T0.plus(THRESHOLD), entity("sensor.a", T0)).get(0).correlationId();
        List<AlertDecision> resolved = run(T0.plus(Duration.ofHours(2)));
        assertThat(resolved).singleElement().isInstanceOfSatisfying(AlertDecision.Resolve.class, r -> {
            assertThat(r.correlationId()).isEqualTo(cid);
            assertThat(r.absorbedBy()).isEmpty();
        });
        assertThat(store.allOpenAlerts()).isEmpty();
    }

    @Test
    void a_restart_mid_incident_sends_no_second_open_event() {
        run(T0.plus(THRESHOLD), entity("sensor.a", T0));
        // lifecycle() builds a fresh instance each run: only the store carries state, like an agent restart.
        assertThat(run(T0.plus(THRESHOLD).plusSeconds(60), entity("sensor.a", T0))).isEmpty();
        assertThat(store.allOpenAlerts()).hasSize(1);
    }

    @Test
    void a_higher_cause_absorbs_open_alerts_only_once_its_own_alert_is_open() {
        Instant t1 = T0.plus(THRESHOLD);
        assertThat(run(t1, entity("sensor.a", T0))).hasSize(1);
        // The rest of the device goes down later: the device cause is pending, the entity alert stays open.
        Instant t2 = t1.plus(Duration.ofMinutes(1));
        assertThat(run(t2, device("plug", t2, "sensor.a", "sensor.b"))).isEmpty();
        assertThat(store.openAlert("ha_entity_unavailable_long:entity:sensor.a")).isPresent();
        // The device cause passes the threshold: it opens, and the entity alert is resolved naming it.
        List<AlertDecision> decisions = run(t2.plus(THRESHOLD), device("plug", t2, "sensor.a", "sensor.b"));
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0)).isInstanceOf(AlertDecision.Open.class).extracting(AlertDecision::alertKey).isEqualTo("ha_entity_unavailable_long:device:plug");
        assertThat(decisions.get(1)).isInstanceOfSatisfying(AlertDecision.Resolve.class,
                r -> assertThat(r.absorbedBy()).isEqualTo(Optional.of("ha_entity_unavailable_long:device:plug")));
    }

    @Test
    void integration_failures_wait_out_their_minimum_duration_so_a_flap_emits_nothing() {
        AlertLifecycle.Settings tenMinutes = new AlertLifecycle.Settings(Duration.ofHours(24), type -> Duration.ofMinutes(10));
        Finding failed = new Finding(AlertType.INTEGRATION_FAILED, Severity.ERROR, new RootCause(RootCause.Kind.INTEGRATION, "hue", "hue"),
                "hue failed", List.of(), T0, Map.of());
        AlertLifecycle lifecycle = new AlertLifecycle(store, tenMinutes, () -> "cid");
        assertThat(lifecycle.apply("system_health", List.of(failed), T0)).isEmpty();
        assertThat(lifecycle.apply("system_health", List.of(), T0.plus(Duration.ofMinutes(2)))).isEmpty();
        // It fails again: the clock starts over, because the flap in between was a recovery.
        Finding again = new Finding(failed.type(), failed.severity(), failed.rootCause(), failed.summary(), List.of(),
                T0.plus(Duration.ofMinutes(5)), Map.of());
        assertThat(lifecycle.apply("system_health", List.of(again), T0.plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(lifecycle.apply("system_health", List.of(again), T0.plus(Duration.ofMinutes(15))))
                .singleElement().isInstanceOf(AlertDecision.Open.class);
    }

    @Test
    void alerts_of_other_checks_are_left_alone() {
        run(T0.plus(THRESHOLD), entity("sensor.a", T0));
        AlertLifecycle other = new AlertLifecycle(store, settings, () -> "x");
        assertThat(other.apply("repairs", List.of(), T0.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(store.openAlert("ha_entity_unavailable_long:entity:sensor.a")).isPresent();
    }

    @Test
    void an_absorbed_alert_whose_cause_lasted_through_the_absorption_reopens_with_its_own_correlation_id() {
        Instant t1 = T0.plus(THRESHOLD);
        String cid = run(t1, device("plug", T0, "sensor.a", "sensor.b")).get(0).correlationId();
        // The whole integration goes down: its alert opens and absorbs the device's.
        Instant t2 = t1.plus(Duration.ofMinutes(5));
        Finding integration = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.INTEGRATION, "zha", "zha"),
                "zha down", List.of("sensor.a", "sensor.b", "sensor.c"), T0, Map.of());
        assertThat(run(t2, integration)).extracting(d -> d.getClass().getSimpleName()).containsExactly("Open", "Resolve");
        // The integration recovers, the device is still down since T0: the same incident, the same id.
        List<AlertDecision> reopened = run(t2.plus(Duration.ofMinutes(5)), device("plug", T0, "sensor.a", "sensor.b"));
        assertThat(reopened).filteredOn(d -> d instanceof AlertDecision.Open).singleElement()
                .satisfies(d -> assertThat(d.correlationId()).isEqualTo(cid));
    }

    @Test
    void an_absorbed_alert_whose_cause_recovered_in_between_opens_a_new_incident() {
        Instant t1 = T0.plus(THRESHOLD);
        String cid = run(t1, device("plug", T0, "sensor.a", "sensor.b")).get(0).correlationId();
        Instant t2 = t1.plus(Duration.ofMinutes(5));
        run(t2, new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.INTEGRATION, "zha", "zha"),
                "zha down", List.of("sensor.a", "sensor.b", "sensor.c"), T0, Map.of()));
        // Down again only since after the absorption: a new outage, a new incident.
        Instant since = t2.plus(Duration.ofMinutes(1));
        List<AlertDecision> opened = run(since.plus(THRESHOLD), device("plug", since, "sensor.a", "sensor.b"));
        assertThat(opened).filteredOn(d -> d instanceof AlertDecision.Open).singleElement()
                .satisfies(d -> assertThat(d.correlationId()).isNotEqualTo(cid));
    }

    @Test
    void an_opening_whose_event_was_never_written_keeps_its_correlation_id_for_the_next_run() {
        AlertLifecycle crashing = lifecycle();
        try {
            crashing.apply("unavailable_entities", List.of(entity("sensor.a", T0), entity("sensor.b", T0)), List.of(), T0.plus(THRESHOLD),
                    AlertDelivery.journal(store, decision -> {
                        throw new IllegalStateException("killed before the write");
                    }));
        } catch (IllegalStateException expected) {
            // the agent died here
        }
        assertThat(store.intents()).extracting(i -> i.correlationId()).containsExactlyInAnyOrder("cid-1", "cid-2");
        assertThat(store.allOpenAlerts()).isEmpty();

        List<AlertDecision> again = run(T0.plus(THRESHOLD).plusSeconds(30), entity("sensor.a", T0), entity("sensor.b", T0));
        assertThat(again).extracting(AlertDecision::correlationId).containsExactly("cid-1", "cid-2");
        assertThat(store.intents()).isEmpty();
        assertThat(store.allOpenAlerts()).hasSize(2);
    }

    @Test
    void every_decision_of_a_run_is_an_intent_before_the_first_event_is_written() {
        run(T0.plus(THRESHOLD), entity("sensor.a", T0));
        List<Integer> intentsAtFirstPublish = new ArrayList<>();
        lifecycle().apply("unavailable_entities", List.of(entity("sensor.b", T0), entity("sensor.c", T0)), List.of(),
                T0.plus(THRESHOLD).plusSeconds(60), AlertDelivery.journal(store, decision -> {
                    if (intentsAtFirstPublish.isEmpty()) {
                        intentsAtFirstPublish.add(store.intents().size());
                    }
                }));
        assertThat(intentsAtFirstPublish).containsExactly(3); // two openings and the resolution of sensor.a
        assertThat(store.intents()).isEmpty();
    }

    static Finding websocketDead(Instant since) {
        return new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT, "dead", List.of(), since, Map.of());
    }

    @Test
    void an_event_reported_cause_opens_at_once_only_once_and_resolves_under_its_correlation_id() {
        List<AlertDecision> published = new ArrayList<>();
        assertThat(lifecycle().open(websocketDead(T0), "websocket", T0, AlertDelivery.journal(store, published::add))).isTrue();
        assertThat(lifecycle().open(websocketDead(T0), "heartbeat", T0.plusSeconds(5), AlertDelivery.journal(store, published::add))).isFalse();
        assertThat(lifecycle().resolve("ha_websocket_dead:ha:homeassistant", T0.plusSeconds(60), AlertDelivery.journal(store, published::add))).isTrue();
        assertThat(lifecycle().resolve("ha_websocket_dead:ha:homeassistant", T0.plusSeconds(61), AlertDelivery.journal(store, published::add))).isFalse();

        assertThat(published).hasSize(2);
        assertThat(published.get(0)).isInstanceOf(AlertDecision.Open.class);
        assertThat(published.get(1)).isInstanceOfSatisfying(AlertDecision.Resolve.class, r -> {
            assertThat(r.alert().check()).isEqualTo("websocket");
            assertThat(r.absorbedBy()).isEmpty();
        });
        assertThat(published).extracting(AlertDecision::correlationId).containsOnly("cid-1");
        assertThat(store.intents()).isEmpty();
        assertThat(store.allOpenAlerts()).isEmpty();
    }

    @Test
    void an_event_reported_opening_whose_write_failed_opens_again_under_the_reserved_id() {
        try {
            lifecycle().open(websocketDead(T0), "websocket", T0, AlertDelivery.journal(store, decision -> {
                throw new IllegalStateException("disk full");
            }));
        } catch (IllegalStateException expected) {
            // the event was never written
        }
        List<AlertDecision> published = new ArrayList<>();
        assertThat(lifecycle().open(websocketDead(T0), "websocket", T0.plusSeconds(1), AlertDelivery.journal(store, published::add))).isTrue();
        assertThat(published).singleElement().extracting(AlertDecision::correlationId).isEqualTo("cid-1");
    }
}
