package dev.hadiag.core.diagnostics;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.IntentReconciliation;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.check.AutomationFailuresCheck;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.RecorderCheck;
import dev.hadiag.core.check.RepairsCheck;
import dev.hadiag.core.check.SystemHealthCheck;
import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(15);
    private static final String HA_URL = "http://homeassistant.local:8123";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final RecordingEventSink sink = new RecordingEventSink();
    private final FakeHomeAssistant ha = new FakeHomeAssistant();
    private final AtomicInteger ids = new AtomicInteger();
    private final Supplier<String> correlationIds = () -> "cid-" + ids.incrementAndGet();
    private Diagnostics diagnostics = newAgent();

    /** A new agent over the same store, HA and event directory: what a restart of the agent is. */
    private Diagnostics newAgent() {
        AlertLifecycle.Settings settings = new AlertLifecycle.Settings(Duration.ofHours(24), type -> switch (type) {
            case ENTITY_UNAVAILABLE_LONG -> THRESHOLD;
            case INTEGRATION_FAILED -> Duration.ofMinutes(10);
            case WEBSOCKET_DEAD -> Duration.ofSeconds(10);
            default -> Duration.ZERO;
        });
        List<Check> checks = List.of(new HeartbeatCheck(),
                new UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings.DEFAULTS, store),
                new SystemHealthCheck(IgnoreRules.NONE), new AutomationFailuresCheck(IgnoreRules.NONE),
                new UpdatesAvailableCheck(IgnoreRules.NONE), new RecorderCheck(1000), new RepairsCheck(List.of(), store));
        return Diagnostics.builder(ha, store, sink).checks(checks).alerts(settings).events(new AlertEvents("node1", "ken", HA_URL))
                .clock(clock).correlationIds(correlationIds).build();
    }

    private Map<String, CheckReport> runAllAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        Map<String, CheckReport> reports = new java.util.LinkedHashMap<>();
        diagnostics.checkNames().forEach(name -> reports.put(name, diagnostics.run(name)));
        return reports;
    }

    private static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    @Test
    void one_failed_config_entry_with_500_entities_is_exactly_one_event_over_many_runs() {
        ha.snapshot(ha().entry("hue", "hue", "setup_retry", "Bridge not reachable").entities(500, "light.hue", "hue", "", "unavailable").build());
        for (long m = 0; m <= 60; m += 5) {
            runAllAt(min(m));
        }
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_INTEGRATION_FAILED);
            assertThat(e.payload()).containsEntry("reason", "Bridge not reachable").containsEntry("entity_count", 500)
                    .containsEntry("check", "system_health");
        });
    }

    @Test
    void an_acknowledged_alert_writes_no_repeat_until_it_resolves_and_then_its_resolution_under_its_id() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "unavailable").entity("sensor.ok", "zha", "", "on").build());
        clock.set(T0);
        diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        clock.set(T0.plus(THRESHOLD));
        diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        String key = "ha_entity_unavailable_long:entity:sensor.a";
        String id = sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).get(0).correlationId();

        assertThat(diagnostics.acknowledge(key)).hasValueSatisfying(w -> assertThat(w.reason()).isInstanceOf(Withheld.Acknowledged.class));
        assertThat(diagnostics.acknowledge("ha_entity_unavailable_long:entity:sensor.ok")).as("nothing open").isEmpty();
        clock.set(T0.plus(THRESHOLD).plus(Duration.ofHours(25)));
        assertThat(diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()).eventsEmitted()).as("the repeat is withheld").isZero();
        assertThat(sink.ofType(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);

        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "on").entity("sensor.ok", "zha", "", "on").build());
        clock.set(T0.plus(THRESHOLD).plus(Duration.ofHours(26)));
        assertThat(diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()).eventsEmitted()).isEqualTo(1);
        assertThat(sink.ofType(EventTypes.HA_ENTITY_RECOVERED)).singleElement().extracting(Event::correlationId).isEqualTo(id);
        assertThat(store.withheld()).as("resolved: the acknowledgement ends with it").isEmpty();
    }

    @Test
    void a_device_with_5_unavailable_entities_among_40_healthy_ones_is_one_device_event() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").device("plug", "Kitchen plug", "zha").device("hub", "Hub", "zha")
                .entities(5, "sensor.plug", "zha", "plug", "unavailable").entities(40, "sensor.hub", "zha", "hub", "on").build());
        runAllAt(min(0));
        runAllAt(THRESHOLD);
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_unavailable_long:device:plug")
                    .containsEntry("entity_count", 5).containsEntry("device", "Kitchen plug");
        });
    }

    @Test
    void an_entity_back_before_the_threshold_emits_nothing() {
        HaSnapshot down = ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "unavailable").entity("sensor.b", "zha", "", "on").build();
        HaSnapshot up = ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "on").entity("sensor.b", "zha", "", "on").build();
        ha.snapshot(down);
        runAllAt(min(0));
        runAllAt(min(14));
        ha.snapshot(up);
        runAllAt(min(15));
        ha.snapshot(down);
        runAllAt(min(16)); // a new outage starts its own clock
        runAllAt(min(30));
        assertThat(sink.events()).isEmpty();
    }

    @Test
    void the_resolution_carries_the_open_alerts_correlation_id_and_a_restart_mid_incident_sends_no_second_open_event() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "unavailable").entity("sensor.b", "zha", "", "on").build());
        runAllAt(min(0));
        runAllAt(THRESHOLD);
        assertThat(sink.events()).hasSize(1);
        String correlationId = sink.events().get(0).correlationId();

        diagnostics = newAgent();
        runAllAt(min(20));
        runAllAt(min(25));
        assertThat(sink.events()).hasSize(1);

        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "on").entity("sensor.b", "zha", "", "on").build());
        runAllAt(min(30));
        assertThat(sink.events()).extracting(Event::type)
                .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
        assertThat(sink.events().get(1).correlationId()).isEqualTo(correlationId);
        assertThat(sink.events().get(1).payload()).containsEntry("duration_s", 15L * 60).containsEntry("entities", List.of("sensor.a"));
    }

    @Test
    void HA_unreachable_is_one_dead_alert_every_other_check_is_skipped_and_nothing_is_resolved() {
        ha.snapshot(ha().entry("zha", "zha", "loaded").entity("sensor.a", "zha", "", "unavailable").entity("sensor.b", "zha", "", "on").build());
        runAllAt(min(0));
        runAllAt(THRESHOLD);
        sink.clear();

        ha.fail(new HaUnreachableException("connect timed out", null));
        Map<String, CheckReport> first = runAllAt(min(20));
        assertThat(sink.events()).isEmpty(); // one failed heartbeat is within the grace
        Map<String, CheckReport> second = runAllAt(min(21));
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD));
        int callsWhileDown = ha.calls();
        runAllAt(min(22));
        assertThat(ha.calls() - callsWhileDown).as("only the heartbeat asks HA while it is down").isEqualTo(1);
        for (Map<String, CheckReport> reports : List.of(first, second)) {
            reports.forEach((name, report) -> assertThat(report.status())
                    .isEqualTo(name.equals(BuiltInCheck.HEARTBEAT.wire()) ? CheckStatus.ERROR : CheckStatus.SKIPPED));
        }
        assertThat(second.get(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()).reason()).contains("unreachable");
        assertThat(store.openAlert("ha_entity_unavailable_long:entity:sensor.a")).isPresent();

        ha.answer();
        runAllAt(min(23));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_WEBSOCKET_DEAD, EventTypes.HA_WEBSOCKET_RECOVERED);
        assertThat(sink.events().get(1).correlationId()).isEqualTo(sink.events().get(0).correlationId());
    }

    @Test
    void an_announced_restart_skips_every_check_the_heartbeat_included_and_ends_in_one_ha_restarted_without_an_alert() {
        diagnostics.onLiveSignal(new LiveSignal.Connected(T0, "2024.3.3"));
        clock.set(T0.plusSeconds(30));
        diagnostics.onLiveSignal(new LiveSignal.StopAnnounced(clock.instant(), "homeassistant_stop"));
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(), "closed", LiveSignal.DisconnectCause.OTHER));
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(), "refused", LiveSignal.DisconnectCause.REFUSED));
        ha.fail(new HaUnreachableException("connection refused", null));
        Map<String, CheckReport> during = runAllAt(Duration.ofSeconds(60));
        runAllAt(Duration.ofSeconds(150));
        clock.set(T0.plusSeconds(200));
        diagnostics.tick();
        assertThat(during.values()).allSatisfy(report -> assertThat(report.status()).isEqualTo(CheckStatus.SKIPPED));
        assertThat(during.get(BuiltInCheck.HEARTBEAT.wire()).reason()).contains("restarting");
        assertThat(sink.events()).isEmpty();

        ha.answer();
        diagnostics.onLiveSignal(new LiveSignal.Connected(T0.plusSeconds(210), "2024.3.3"));
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_RESTARTED);
            assertThat(e.severity()).isEqualTo(Severity.INFO);
            assertThat(e.payload()).containsEntry("planned", true).containsEntry("downtime_s", 180.0)
                    .containsEntry("check", "websocket").doesNotContainKey("alert_key");
        });
        runAllAt(Duration.ofSeconds(240));
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void a_crash_opens_the_dead_alert_at_once_and_its_end_is_a_recovery_and_an_unplanned_restart() {
        diagnostics.onLiveSignal(new LiveSignal.Connected(T0, "2024.3.3"));
        clock.set(T0.plusSeconds(30));
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(), "no close frame", LiveSignal.DisconnectCause.OTHER));
        assertThat(sink.events()).isEmpty();
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(), "refused", LiveSignal.DisconnectCause.REFUSED));
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD));

        diagnostics.onLiveSignal(new LiveSignal.Connected(T0.plusSeconds(45), "2024.3.3"));
        assertThat(sink.events()).extracting(Event::type)
                .containsExactly(EventTypes.HA_WEBSOCKET_DEAD, EventTypes.HA_WEBSOCKET_RECOVERED, EventTypes.HA_RESTARTED);
        assertThat(sink.events().get(2).payload()).containsEntry("planned", false).containsEntry("downtime_s", 15.0);
        assertThat(sink.events().get(2).correlationId()).isNotEqualTo(sink.events().get(0).correlationId());
    }

    @Test
    void the_watchdog_and_the_heartbeat_share_one_dead_alert_and_one_incident_id() {
        diagnostics.onLiveSignal(new LiveSignal.Connected(T0, "2024.3.3"));
        clock.set(T0.plusSeconds(30));
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(), "closed by HA"));
        clock.set(T0.plusSeconds(40));
        diagnostics.tick();
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD);
            assertThat(e.payload()).containsEntry("check", "websocket").containsEntry("since", T0.plusSeconds(30).toString());
        });

        ha.fail(new HaUnreachableException("connection refused", null));
        runAllAt(Duration.ofSeconds(60));
        runAllAt(Duration.ofSeconds(120));
        assertThat(sink.events()).hasSize(1);

        ha.answer();
        clock.set(T0.plusSeconds(150));
        diagnostics.onLiveSignal(new LiveSignal.Connected(clock.instant(), "2024.3.3"));
        runAllAt(Duration.ofSeconds(180));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_WEBSOCKET_DEAD, EventTypes.HA_WEBSOCKET_RECOVERED);
        assertThat(sink.events()).extracting(Event::correlationId).containsOnly(sink.events().get(0).correlationId());
        assertThat(diagnostics.isWebSocketConnected()).isTrue();
    }

    @Test
    void an_open_entity_alert_is_resolved_naming_the_failed_integration_once_that_alert_is_open() {
        HaSnapshot loaded = ha().entry("hue", "hue", "loaded").entry("zha", "zha", "loaded")
                .entity("light.a", "hue", "", "unavailable").entity("light.b", "hue", "", "on").entity("sensor.z", "zha", "", "on").build();
        ha.snapshot(loaded);
        runAllAt(min(0));
        runAllAt(THRESHOLD);
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);

        ha.snapshot(ha().entry("hue", "hue", "setup_retry", "Bridge gone").entry("zha", "zha", "loaded")
                .entity("light.a", "hue", "", "unavailable").entity("light.b", "hue", "", "unavailable").entity("sensor.z", "zha", "", "on").build());
        runAllAt(min(20));
        assertThat(sink.events()).as("the failure waits out its 10 min; the entity alert stays open meanwhile").hasSize(1);
        runAllAt(min(30));
        runAllAt(min(31));
        assertThat(sink.events()).extracting(Event::type)
                .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_INTEGRATION_FAILED, EventTypes.HA_ENTITY_RECOVERED);
        assertThat(sink.events().get(2).payload()).containsEntry("absorbed_by", "ha_integration_failed:integration:hue");
        assertThat(sink.events().get(2).correlationId()).isEqualTo(sink.events().get(0).correlationId());
    }

    @Test
    void an_absorbed_alert_that_outlasts_its_absorber_reopens_under_its_first_correlation_id() {
        HaSnapshot entityDown = ha().entry("hue", "hue", "loaded").entry("zha", "zha", "loaded")
                .entity("light.a", "hue", "", "unavailable").entity("light.b", "hue", "", "on").entity("sensor.z", "zha", "", "on").build();
        ha.snapshot(entityDown);
        runAllAt(min(0));
        runAllAt(THRESHOLD);
        ha.snapshot(ha().entry("hue", "hue", "setup_retry", "Bridge gone").entry("zha", "zha", "loaded")
                .entity("light.a", "hue", "", "unavailable").entity("light.b", "hue", "", "unavailable").entity("sensor.z", "zha", "", "on").build());
        runAllAt(min(20));
        runAllAt(min(30));
        runAllAt(min(31));
        // The bridge is back, light.a (down since minute 0) is not: the same incident goes on under its own key.
        ha.snapshot(entityDown);
        runAllAt(min(40));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG,
                EventTypes.HA_INTEGRATION_FAILED, EventTypes.HA_ENTITY_RECOVERED, EventTypes.HA_ENTITY_UNAVAILABLE_LONG,
                EventTypes.HA_INTEGRATION_RECOVERED);
        assertThat(sink.events().get(3).correlationId()).isEqualTo(sink.events().get(0).correlationId());
        assertThat(sink.events().stream().map(Event::correlationId).distinct()).hasSize(2); // the entity's incident and hue's
    }

    @Test
    void every_payload_carries_check_location_tag_ha_url_and_alert_key() {
        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.fw", "on", Map.of("installed_version", "1.0", "latest_version", "1.1"), T0, T0),
                new EntityState("automation.x", "on", Map.of("id", "x"), T0, T0)), List.of(), List.of(), List.of()));
        ha.traces(List.of(new AutomationTrace("x", "r1", "stopped", "error", T0, T0.plusSeconds(1),
                "Service ha_diag_missing_domain.missing_service not found.", "action/0", "event")));
        runAllAt(min(1));
        ha.snapshot(ha().build()).traces(List.of());
        runAllAt(min(2));
        assertThat(sink.events()).extracting(Event::type).containsExactlyInAnyOrder(EventTypes.HA_AUTOMATION_FAILING,
                EventTypes.HA_UPDATE_AVAILABLE, EventTypes.HA_AUTOMATION_RECOVERED, EventTypes.HA_UPDATE_INSTALLED);
        for (Event event : sink.events()) {
            assertThat(event.payload()).containsKeys("check", "alert_key").containsEntry("location_tag", "ken").containsEntry("ha_url", HA_URL);
            assertThat(event.node()).isEqualTo("node1");
            assertThat(event.source()).isEqualTo("ha-diag-agent");
            assertThat(event.service()).isEqualTo("homeassistant");
        }
        assertThat(sink.ofType(EventTypes.HA_AUTOMATION_FAILING).get(0).payload())
                .containsEntry("error", "Service ha_diag_missing_domain.missing_service not found.");
    }

    @Test
    void an_event_that_cannot_be_written_fails_the_run_and_the_next_run_writes_it() {
        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.fw", "on", Map.of(), T0, T0)), List.of(), List.of(), List.of()));
        sink.failing(true);
        clock.set(T0);
        CheckReport report = diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire());
        assertThat(report.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(report.reason()).contains("disk full");
        assertThat(store.allOpenAlerts()).isEmpty();

        sink.failing(false);
        clock.set(T0.plusSeconds(60));
        assertThat(diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire()).eventsEmitted()).isEqualTo(1);
        assertThat(sink.ofType(EventTypes.HA_UPDATE_AVAILABLE)).hasSize(1);
        assertThat(store.recentRuns(BuiltInCheck.UPDATES_AVAILABLE.wire(), 10)).extracting(r -> r.status()).containsExactly(CheckStatus.OK, CheckStatus.FAILED);
    }

    @Test
    void a_run_whose_disk_fills_part_way_reports_the_events_it_wrote_before() {
        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.a", "on", Map.of(), T0, T0), new EntityState("update.b", "on", Map.of(), T0, T0),
                new EntityState("update.c", "on", Map.of(), T0, T0)), List.of(), List.of(), List.of()));
        sink.failAfterWriting(2);
        clock.set(T0);
        CheckReport report = diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire());
        assertThat(report.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(sink.events()).hasSize(2);
        assertThat(report.eventsEmitted()).as("what is on disk, as the metrics count it").isEqualTo(2);
    }

    @Test
    void HA_starting_skips_every_check_but_the_heartbeat() {
        ha.coreState(CoreState.STARTING);
        Map<String, CheckReport> reports = runAllAt(min(0));
        assertThat(reports.get(BuiltInCheck.HEARTBEAT.wire()).status()).isEqualTo(CheckStatus.OK);
        assertThat(reports.get(BuiltInCheck.HEARTBEAT.wire()).note()).contains("starting");
        assertThat(reports.get(BuiltInCheck.RECORDER.wire()).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(reports.get(BuiltInCheck.RECORDER.wire()).reason()).contains("starting");
    }

    @Test
    void a_rejected_token_is_one_alert_and_is_not_tried_again_before_the_retry_interval() {
        ha.fail(new HaUnauthorizedException("401 Unauthorized", null));
        Map<String, CheckReport> reports = runAllAt(min(0));
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventTypes.HA_AUTH_FAILED));
        assertThat(ha.calls()).as("one attempt, by the heartbeat").isEqualTo(1);
        assertThat(reports.get(BuiltInCheck.REPAIRS.wire()).status()).isEqualTo(CheckStatus.SKIPPED);
        runAllAt(min(1));
        runAllAt(min(9));
        assertThat(ha.calls()).isEqualTo(1);
        runAllAt(min(10));
        assertThat(ha.calls()).isEqualTo(2);

        ha.answer();
        runAllAt(min(20));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_AUTH_FAILED, EventTypes.HA_AUTH_RECOVERED);
    }

    @Test
    void an_answer_HA_cannot_be_understood_fails_the_run_and_resolves_nothing() {
        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.fw", "on", Map.of(), T0, T0)), List.of(), List.of(), List.of()));
        runAllAt(min(0));
        ha.fail(new HaProtocolException("states: missing field entity_id", null));
        CheckReport report = diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire());
        assertThat(report.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(report.reason()).contains("missing field entity_id");
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_UPDATE_AVAILABLE);
    }

    @Test
    void an_unknown_check_name_is_refused_listing_the_valid_ones() {
        assertThatThrownBy(() -> diagnostics.run("nope")).isInstanceOfSatisfying(UnknownCheckException.class,
                // this agent has the seven checks of before issue 15, in the built-in order
                e -> assertThat(e.validNames()).containsExactlyElementsOf(BuiltInCheck.names().stream()
                        .filter(n -> !n.equals(BuiltInCheck.STALE_ENTITIES.wire()) && !n.equals(BuiltInCheck.FLAPPING.wire())
                                && !n.equals(BuiltInCheck.LOW_BATTERIES.wire()) && !n.equals(BuiltInCheck.BACKUPS.wire())
                                && !n.equals(BuiltInCheck.HA_LOG_ERRORS.wire())).toList()));
    }

    @Test
    void a_check_that_breaks_is_a_failed_run_not_a_dead_agent() {
        Check broken = new Check() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public dev.hadiag.core.check.CheckOutcome run(dev.hadiag.core.port.HomeAssistant ha, dev.hadiag.core.check.CheckContext context) {
                throw new IllegalStateException("bug");
            }
        };
        Diagnostics withBroken = Diagnostics.builder(ha, store, sink).checks(broken).clock(clock).build();
        assertThat(withBroken.run("broken").status()).isEqualTo(CheckStatus.FAILED);
        assertThat(withBroken.lastReports()).containsKey("broken");
    }

    @Test
    void history_older_than_the_retention_is_pruned_and_open_alerts_are_kept() {
        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.fw", "on", Map.of(), T0, T0)), List.of(), List.of(), List.of()));
        clock.set(T0);
        diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire());
        clock.set(T0.plus(Duration.ofDays(31)));
        diagnostics.run(BuiltInCheck.UPDATES_AVAILABLE.wire());
        diagnostics.pruneHistory(Diagnostics.DEFAULT_HISTORY_RETENTION);
        assertThat(store.recentRuns(BuiltInCheck.UPDATES_AVAILABLE.wire(), 10)).singleElement()
                .satisfies(run -> assertThat(run.startedAt()).isEqualTo(T0.plus(Duration.ofDays(31))));
        assertThat(store.allOpenAlerts()).hasSize(1);
    }

    @Test
    void a_kill_at_any_moment_of_a_storm_neither_loses_an_event_nor_opens_a_key_twice() {
        HaSnapshot storm = ha().entry("zha", "zha", "loaded").entity("sensor.ok", "zha", "", "on")
                .entities(20, "sensor.s", "zha", "", "unavailable").build();
        HaSnapshot healed = ha().entry("zha", "zha", "loaded").entity("sensor.ok", "zha", "", "on")
                .entities(20, "sensor.s", "zha", "", "on").build();
        ha.snapshot(storm);
        runAllAt(min(0));
        long minute = 15;
        for (int killAt : new int[] {1, 7, 5}) { // among the 20 openings
            killAndRestart(killAt, minute++);
        }
        runAllAt(min(minute++));
        ha.snapshot(healed);
        for (int killAt : new int[] {3, 10}) { // among the 20 resolutions
            killAndRestart(killAt, minute++);
        }
        runAllAt(min(minute));

        Map<String, List<Event>> byKey = sink.events().stream().collect(Collectors.groupingBy(
                e -> (String) e.payload().get("alert_key"), LinkedHashMap::new, Collectors.toList()));
        assertThat(byKey).hasSize(20);
        byKey.forEach((key, events) -> {
            assertThat(events).as(key).extracting(Event::type)
                    .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
            assertThat(events).as(key).extracting(Event::correlationId).containsOnly(events.get(0).correlationId());
        });
        assertThat(store.allOpenAlerts()).isEmpty();
        assertThat(store.intents()).isEmpty();
    }

    /** The unavailable-entities run at {@code minute} dies right after writing its {@code n}th event; the agent starts again. */
    private void killAndRestart(int n, long minute) {
        sink.killAfterWriting(n);
        clock.set(T0.plus(min(minute)));
        assertThatThrownBy(() -> diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire())).isInstanceOf(RecordingEventSink.ProcessKilled.class);
        IntentReconciliation.reconcile(store, sink.asLog(), "node1");
        diagnostics = newAgent();
    }

    @Test
    void a_token_rejected_on_any_path_stops_every_call_to_HA_until_the_auth_retry() {
        runAllAt(min(0));
        int before = ha.calls();
        ha.fail(new HaUnauthorizedException("401 Unauthorized", null));
        clock.set(T0.plus(min(1)));
        assertThat(diagnostics.run(BuiltInCheck.REPAIRS.wire()).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_AUTH_FAILED);
            assertThat(e.payload()).containsEntry("detected_by", BuiltInCheck.REPAIRS.wire()).containsEntry("check", BuiltInCheck.HEARTBEAT.wire());
        });
        runAllAt(min(2));
        runAllAt(min(10));
        assertThat(ha.calls() - before).as("the one rejected call; not even the heartbeat asks before the retry").isEqualTo(1);
        runAllAt(min(11));
        assertThat(ha.calls() - before).as("the heartbeat's retry").isEqualTo(2);
        assertThat(sink.events()).hasSize(1);

        ha.answer();
        runAllAt(min(21));
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_AUTH_FAILED, EventTypes.HA_AUTH_RECOVERED);
        assertThat(sink.events()).extracting(Event::correlationId).containsOnly(sink.events().get(0).correlationId());
    }

    @Test
    void auth_invalid_on_the_WebSocket_stops_the_REST_calls_until_the_connection_authenticates_again() {
        diagnostics.onLiveSignal(new LiveSignal.AuthRejected(T0, "Invalid access token or password"));
        runAllAt(min(1));
        runAllAt(min(5));
        assertThat(ha.calls()).isZero();
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventTypes.HA_AUTH_FAILED));

        diagnostics.onLiveSignal(new LiveSignal.Connected(T0.plus(min(6)), "2024.3.3"));
        runAllAt(min(7));
        assertThat(ha.calls()).isPositive();
        assertThat(sink.events()).extracting(Event::type).containsExactly(EventTypes.HA_AUTH_FAILED, EventTypes.HA_AUTH_RECOVERED);
    }

    @Test
    void the_heartbeat_says_why_when_HA_answers_500_or_stalls() {
        ha.fail(new HaUnreachableException("http://ha:8123 failing: GET /api/ answered HTTP 500", null));
        assertThat(runAllAt(min(0)).get(BuiltInCheck.HEARTBEAT.wire())).satisfies(r -> {
            assertThat(r.status()).isEqualTo(CheckStatus.ERROR);
            assertThat(r.reason()).contains("unreachable").contains("HTTP 500");
        });
        ha.fail(new HaUnreachableException("http://ha:8123: GET /api/config timed out reading the answer after PT30S", null));
        assertThat(runAllAt(min(1)).get(BuiltInCheck.HEARTBEAT.wire()).reason()).contains("timed out");
    }

    @Test
    void a_connection_lost_without_a_reason_is_dead_with_a_reason_in_words() {
        diagnostics.onLiveSignal(new LiveSignal.Connected(T0, "2024.3.3"));
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(T0.plusSeconds(1), null));
        clock.set(T0.plusSeconds(20));
        diagnostics.tick();
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat((String) e.payload().get("reason"))
                .doesNotContain("null").contains("without a reason"));
    }
}
