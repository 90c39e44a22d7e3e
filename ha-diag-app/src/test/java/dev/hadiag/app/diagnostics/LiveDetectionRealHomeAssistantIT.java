package dev.hadiag.app.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.testing.RealHaAgent;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stale entities and flapping (issue 15) against a real Home Assistant, through the agent's own wiring: the
 * real live connection feeding {@link LiveStates}, the real adapter, a real SQLite file and real event files,
 * on the real clock with test-scale settings (reports every 400 ms, flapping within a minute, 3 s quiet), so
 * every scenario takes seconds. The entities are set through {@code POST /api/states}.
 */
@ExtendWith(HomeAssistantExtension.class)
class LiveDetectionRealHomeAssistantIT {

    // New entities for every test: one HA serves every test of the JVM, and an old state would be an old report.
    private final String suffix = Long.toString(System.nanoTime(), 36);
    private final String periodic = "sensor.ha_diag_stale_periodic_" + suffix;
    private final String onChange = "sensor.ha_diag_stale_on_change_" + suffix;
    private final String flapper = "sensor.ha_diag_flapper_" + suffix;

    /** An MQTT sensor of the test HA (docs/testing.md): unavailable while the broker is down. */
    private static final String GARDEN = "sensor.garden_station_garden_temperature";

    private final RealHomeAssistant ha;
    private final RealHaAgent agent;
    private final SqliteDiagnosticStore store;
    private final Diagnostics diagnostics;
    private final List<LiveSignal.StateChanged> seen = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();

    LiveDetectionRealHomeAssistantIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.agent = RealHaAgent.on(ha, dir).yaml("""
                checks:
                  stale_entities:
                    watch:
                      entities: ["sensor.ha_diag_stale_*"]
                    multiple: 4
                    floor: 1s
                    min_samples: 4
                  flapping:
                    transitions: 6
                    window: 1m
                    quiet: 3s
                """).checks(List.of(BuiltInCheck.UNAVAILABLE_ENTITIES.wire(), BuiltInCheck.STALE_ENTITIES.wire(), BuiltInCheck.FLAPPING.wire())).build();
        this.store = agent.store();
        this.diagnostics = agent.diagnostics();
        agent.connect(signal -> {
            if (signal instanceof LiveSignal.StateChanged change
                    && (change.entityId().startsWith("sensor.ha_diag_") || change.entityId().startsWith(GARDEN))) {
                seen.add(change);
            }
        });
    }

    @AfterEach
    void close() {
        try {
            if (ha.controlsMqttBroker()) {
                ha.startMqttBroker();
            }
            reporter.shutdownNow();
        } finally {
            agent.close();
        }
    }

    private List<Event> written(String type, String entityId) {
        return agent.written(type).stream().filter(e -> ((List<?>) e.payload().get("entities")).contains(entityId)).toList();
    }

    private List<Event> allWritten() {
        return agent.written();
    }

    private List<LiveSignal.StateChanged> seen(String entityId) {
        return seen.stream().filter(c -> c.entityId().equals(entityId)).toList();
    }

    /** A report with the same state: force_update makes HA write it as a state_changed on every version. */
    private void report(String entityId, String state) {
        ha.setState(entityId, "{\"state\": \"" + state + "\", \"force_update\": true}");
    }

    @Test
    void an_unchanged_report_reaches_the_stream_only_as_a_forced_update_on_both_versions() {
        String marker = "sensor.ha_diag_marker_" + suffix;
        ha.setState(onChange, "{\"state\": \"7\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen(onChange).isEmpty());
        // The same state again: HA 2024.3 writes nothing; 2024.4+ moves last_reported and fires state_reported,
        // which HA does not forward to WebSocket clients (an event filter is required), so the stream is silent.
        ha.setState(onChange, "{\"state\": \"7\"}");
        ha.setState(marker, "{\"state\": \"" + System.nanoTime() + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen(marker).isEmpty());
        assertThat(seen(onChange)).hasSize(1);
        // A forced update is a state_changed with a new report time: what an MQTT sensor with force_update sends.
        Instant first = seen(onChange).get(0).reportedAt();
        report(onChange, "7");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen(onChange).size() == 2);
        assertThat(seen(onChange).get(1).reportedAt()).isAfter(first);
        assertThat(seen(onChange).get(1).oldState()).isEqualTo("7");
        assertThat(seen(onChange).get(1).newState()).isEqualTo("7");
    }

    @Test
    void a_periodic_sensor_that_stops_is_stale_within_its_learned_multiple_and_an_on_change_sensor_is_not() {
        // The on-change sensor: changes at irregular times (gaps of 0.1 to 2 s), then silent.
        long[] onChangeAt = {0, 100, 200, 1500, 1600, 3500};
        AtomicInteger value = new AtomicInteger();
        for (long at : onChangeAt) {
            reporter.schedule(() -> ha.setState(onChange, "{\"state\": \"" + value.incrementAndGet() + "\"}"), at, TimeUnit.MILLISECONDS);
        }
        // The periodic one: the same value every 400 ms.
        var reports = reporter.scheduleAtFixedRate(() -> report(periodic, "21.5"), 0, 400, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            diagnostics.run(BuiltInCheck.STALE_ENTITIES.wire());
            return seen(periodic).size() >= 8 && seen(onChange).size() >= onChangeAt.length;
        });
        diagnostics.run(BuiltInCheck.STALE_ENTITIES.wire());
        assertThat(store.reportingProfiles()).containsKeys(periodic, onChange);
        assertThat(written(EventTypes.HA_ENTITY_STALE, periodic)).isEmpty();

        reports.cancel(false);
        Instant stopped = Instant.now();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            diagnostics.run(BuiltInCheck.STALE_ENTITIES.wire());
            return !written(EventTypes.HA_ENTITY_STALE, periodic).isEmpty();
        });
        Event stale = written(EventTypes.HA_ENTITY_STALE, periodic).get(0);
        double learned = ((Number) stale.payload().get("learned_gap_s")).doubleValue();
        assertThat(learned).as("the learned gap of a 400 ms period").isBetween(0.3, 1.2);
        assertThat(stale.payload()).containsEntry("expectation", "learned").containsEntry("alert_key", "ha_entity_stale:entity:" + periodic);
        // Flagged after 4 (the multiple) x its gap, never before the 1 s floor.
        assertThat(Duration.between(Instant.parse((String) stale.payload().get("last_reported")), stale.timestamp()))
                .isGreaterThan(Duration.ofSeconds(1)).isLessThan(Duration.ofMillis((long) (learned * 4000) + 2000));
        assertThat(stale.timestamp()).isBefore(stopped.plusSeconds(10));

        // The on-change sensor, silent for longer than 4 x any of its gaps by now, has no period: not flagged.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(300)).until(() -> {
            diagnostics.run(BuiltInCheck.STALE_ENTITIES.wire());
            return written(EventTypes.HA_ENTITY_STALE, onChange).isEmpty();
        });

        // It reports again: resolved, with the opening's correlation id.
        report(periodic, "21.5");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            diagnostics.run(BuiltInCheck.STALE_ENTITIES.wire());
            return !written(EventTypes.HA_ENTITY_REPORTING, periodic).isEmpty();
        });
        assertThat(written(EventTypes.HA_ENTITY_REPORTING, periodic)).singleElement()
                .satisfies(e -> assertThat(e.correlationId()).isEqualTo(stale.correlationId()));
    }

    @Test
    void an_entity_flapping_on_a_schedule_is_one_flapping_event_then_one_stable() {
        ha.setState(flapper, "{\"state\": \"12\"}");
        // Unavailable and back every 300 ms, ten times: ten availability changes, six of them make it flap.
        AtomicInteger changes = new AtomicInteger();
        var flapping = reporter.scheduleAtFixedRate(() -> {
            if (changes.get() < 10) {
                ha.setState(flapper, "{\"state\": \"" + (changes.incrementAndGet() % 2 == 1 ? "unavailable" : "12") + "\"}");
            }
        }, 300, 300, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            diagnostics.run(BuiltInCheck.FLAPPING.wire());
            diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
            return seen(flapper).size() >= 11;
        });
        flapping.cancel(false);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            diagnostics.run(BuiltInCheck.FLAPPING.wire());
            diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
            return !written(EventTypes.HA_ENTITY_STABLE, flapper).isEmpty();
        });
        assertThat(written(EventTypes.HA_ENTITY_FLAPPING, flapper)).singleElement().satisfies(e -> {
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_flapping:entity:" + flapper);
            assertThat(((Number) e.payload().get("transitions")).intValue()).isGreaterThanOrEqualTo(6);
        });
        assertThat(written(EventTypes.HA_ENTITY_STABLE, flapper)).singleElement()
                .satisfies(e -> assertThat(e.correlationId()).isEqualTo(written(EventTypes.HA_ENTITY_FLAPPING, flapper).get(0).correlationId()));
        assertThat(written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, flapper)).isEmpty();
        // Nothing else of the test HA, whose whole stream the agent saw meanwhile, counts as flapping.
        assertThat(allWritten()).extracting(Event::type).containsOnly(EventTypes.HA_ENTITY_FLAPPING, EventTypes.HA_ENTITY_STABLE);
    }

    @Test
    void a_broker_restart_is_two_changes_per_entity_which_the_default_six_never_call_flapping() {
        Assumptions.assumeTrue(ha.controlsMqttBroker(), "this HA's MQTT broker cannot be stopped by the test");
        ha.stopMqttBroker();
        await().atMost(Duration.ofSeconds(60)).until(() -> seen(GARDEN).stream().anyMatch(c -> c.newState().equals("unavailable")));
        ha.startMqttBroker();
        await().atMost(Duration.ofSeconds(60)).until(() -> !seen(GARDEN).isEmpty()
                && !seen(GARDEN).get(seen(GARDEN).size() - 1).newState().equals("unavailable"));
        assertThat(seen(GARDEN).stream().filter(c -> FlapDetector.isAvailabilityChange(c.oldState(), c.newState()))).hasSize(2);
        assertThat(diagnostics.run(BuiltInCheck.FLAPPING.wire()).findings()).isEmpty();
        assertThat(FlapDetector.Settings.DEFAULTS.transitions()).isGreaterThan(2);
    }
}
