package dev.hadiag.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetModelTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration SILENT_AFTER = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static FleetModel model() {
        AtomicInteger next = new AtomicInteger();
        return new FleetModel(SILENT_AFTER, GRACE, () -> "outage-" + next.incrementAndGet());
    }

    private static FleetAlert alert(String key, Severity severity, int minute) {
        return new FleetAlert(key, "ha_entity_unavailable_long", severity, "c-" + key, T0.plusSeconds(60L * minute), "down", 1);
    }

    private static NodeHealth health(Instant at) {
        return new NodeHealth("1.2.3", "up", "ok", 0, at, Duration.ofSeconds(60));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A connected, synced model with node {@code piha} online and healthy at T0. */
    private static FleetModel onlinePiha() {
        FleetModel model = model();
        model.syncStarted(T0);
        model.status("piha", true, false, true, T0);
        model.health("piha", health(T0), true, T0);
        model.synced();
        return model;
    }

    static Stream<Arguments> presence() {
        return Stream.of(
                Arguments.of("online and heard from recently", (BiConsumer<FleetModel, Instant>) (m, now) -> m.health("piha", health(now), false, now),
                        60, Presence.ONLINE, ""),
                Arguments.of("its last will: offline without the clean-stop mark", (BiConsumer<FleetModel, Instant>) (m, now) ->
                        m.status("piha", false, false, false, now), 10, Presence.OFFLINE, "connection_lost"),
                Arguments.of("a clean stop", (BiConsumer<FleetModel, Instant>) (m, now) -> m.status("piha", false, true, false, now), 10,
                        Presence.OFFLINE, "stopped"),
                Arguments.of("quiet for longer than the threshold while its status says online", (BiConsumer<FleetModel, Instant>) (m, now) -> {
                }, 181, Presence.SILENT, "silent"),
                Arguments.of("quiet for exactly the threshold is not yet silent", (BiConsumer<FleetModel, Instant>) (m, now) -> {
                }, 180, Presence.ONLINE, ""),
                Arguments.of("an event is a sign of life too", (BiConsumer<FleetModel, Instant>) (m, now) -> m.event("piha", at(170)), 300,
                        Presence.ONLINE, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void presence(String name, BiConsumer<FleetModel, Instant> step, int seconds, Presence expected, String cause) {
        FleetModel model = onlinePiha();
        step.accept(model, at(seconds));
        NodeView piha = model.nodes(at(seconds)).get(0);
        assertThat(piha.presence()).isEqualTo(expected);
        if (!cause.isEmpty()) {
            assertThat(piha.cause().wire()).isEqualTo(cause);
        }
    }

    static Stream<Arguments> silenceThreshold() {
        return Stream.of(
                // heartbeat, quiet for, silent?
                Arguments.of(Duration.ofSeconds(60), 181, true),
                Arguments.of(Duration.ofSeconds(120), 300, false), // three heartbeats (6 min) outlast the 3 min default
                Arguments.of(Duration.ofSeconds(120), 361, true));
    }

    @ParameterizedTest(name = "heartbeat {0}, quiet {1} s: silent {2}")
    @MethodSource
    void silenceThreshold(Duration heartbeat, int quiet, boolean silent) {
        FleetModel model = model();
        model.syncStarted(T0);
        model.status("piha", true, false, true, T0);
        model.health("piha", new NodeHealth("1", "up", "ok", 0, T0, heartbeat), true, T0);
        model.synced();
        assertThat(model.nodes(at(quiet)).get(0).presence() == Presence.SILENT).isEqualTo(silent);
    }

    @Test
    void an_agent_that_publishes_no_health_is_judged_by_its_status_and_last_will_only() {
        FleetModel model = model();
        model.syncStarted(T0);
        model.status("old", true, false, true, T0);
        model.synced();
        assertThat(model.nodes(at(86_400)).get(0).presence()).isEqualTo(Presence.ONLINE);
        assertThat(model.changes(at(86_400))).isEmpty();
    }

    @Test
    void a_node_that_goes_away_is_written_once_with_its_open_alerts_and_resolved_with_the_same_id_when_back() {
        FleetModel model = onlinePiha();
        model.alertOpen("piha", "k1", alert("ha_entity_unavailable_long:entity:sensor.a", Severity.WARNING, 1), false, at(60));
        model.status("piha", false, false, false, at(120));

        assertThat(model.changes(at(149))).as("within the grace: nothing yet").isEmpty();
        List<NodeChange> changes = model.changes(at(150));
        assertThat(changes).singleElement().isInstanceOfSatisfying(NodeChange.WentOffline.class, offline -> {
            assertThat(offline.cause()).isEqualTo(OfflineCause.CONNECTION_LOST);
            assertThat(offline.cause().planned()).isFalse();
            assertThat(offline.lastSeen()).isEqualTo(at(120));
            assertThat(offline.openAlerts()).extracting(FleetAlert::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.a");
        });
        // Not recorded (the write failed): asked for again; recorded: never again.
        assertThat(model.changes(at(151))).hasSize(1);
        model.recorded(changes.get(0));
        assertThat(model.changes(at(160))).isEmpty();
        assertThat(model.nodes(at(160)).get(0).outageId()).isEqualTo(changes.get(0).correlationId());

        model.status("piha", true, false, false, at(200));
        assertThat(model.changes(at(201))).singleElement().isInstanceOfSatisfying(NodeChange.CameBack.class, back -> {
            assertThat(back.correlationId()).isEqualTo(changes.get(0).correlationId());
            assertThat(back.removed()).isFalse();
        });
    }

    @Test
    void an_outage_restored_at_start_is_neither_repeated_nor_lost() {
        FleetModel model = model();
        model.restore(new Outage("piha", "outage-old", at(-600)));
        assertThat(model.changes(T0)).as("nothing before the first sync").isEmpty();
        model.syncStarted(T0);
        model.status("piha", false, false, true, T0);
        model.synced();
        assertThat(model.changes(at(1))).as("still offline: not written again").isEmpty();
        model.status("piha", true, false, false, at(5));
        assertThat(model.changes(at(6))).singleElement().extracting(NodeChange::correlationId).isEqualTo("outage-old");
    }

    @Test
    void a_broker_outage_is_not_every_node_going_silent() {
        FleetModel model = onlinePiha();
        model.disconnected();
        assertThat(model.changes(at(3600))).isEmpty();
        model.syncStarted(at(3600)); // back: quiet is counted from the new connection
        model.status("piha", true, false, true, at(3600));
        model.health("piha", health(T0), true, at(3600)); // its retained health is from an hour ago
        model.synced();
        assertThat(model.changes(at(3601))).isEmpty();
        assertThat(model.nodes(at(3601)).get(0).lastSeen()).isEqualTo(T0);
    }

    @Test
    void a_sync_keeps_the_alerts_announced_again_and_drops_those_cleared_meanwhile() {
        FleetModel model = onlinePiha();
        model.alertOpen("piha", "kept", alert("ha_battery_low:device:d1", Severity.WARNING, 1), false, at(60));
        model.alertOpen("piha", "gone", alert("ha_battery_low:device:d2", Severity.WARNING, 2), false, at(60));
        model.disconnected();
        model.syncStarted(at(100));
        model.status("piha", true, false, true, at(100));
        model.alertOpen("piha", "kept", alert("ha_battery_low:device:d1", Severity.WARNING, 1), true, at(100));
        model.alertOpen("piha", "new", alert("ha_battery_low:device:d3", Severity.ERROR, 3), true, at(100));
        assertThat(model.alertCount()).as("before the sync ends, nothing is dropped").isEqualTo(3);
        model.synced();
        assertThat(model.nodes(at(101)).get(0).alerts()).extracting(FleetAlert::alertKey)
                .containsExactly("ha_battery_low:device:d1", "ha_battery_low:device:d3");
        assertThat(model.nodes(at(101)).get(0).alertsBySeverity()).containsEntry(Severity.WARNING, 1).containsEntry(Severity.ERROR, 1)
                .containsEntry(Severity.CRITICAL, 0);
    }

    @Test
    void a_cleared_alert_topic_removes_the_alert_and_a_repeat_does_not_double_it() {
        FleetModel model = onlinePiha();
        model.alertOpen("piha", "k", alert("ha_battery_low:device:d1", Severity.WARNING, 1), false, at(60));
        model.alertOpen("piha", "k", alert("ha_battery_low:device:d1", Severity.WARNING, 1), false, at(61));
        assertThat(model.alertCount()).isEqualTo(1);
        model.alertCleared("piha", "k", at(62));
        assertThat(model.alertCount()).isZero();
    }

    @Test
    void alerts_are_grouped_by_their_parsed_key_and_another_tools_key_is_other() {
        assertThat(alert("ha_entity_unavailable_long:device:2b32", Severity.WARNING, 0).level()).isEqualTo("device");
        assertThat(alert("mosquitto:down", Severity.ERROR, 0).level()).isEqualTo("other");
    }

    @Test
    void nodes_without_an_agent_status_are_shown_but_never_paged_and_a_removed_node_resolves_its_outage() {
        FleetModel model = onlinePiha();
        model.alertOpen("otherhost", "m", alert("mosquitto:down", Severity.ERROR, 0), false, at(1));
        assertThat(model.nodes(at(2))).extracting(NodeView::node, NodeView::presence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("otherhost", Presence.UNKNOWN),
                        org.assertj.core.groups.Tuple.tuple("piha", Presence.ONLINE));
        model.status("piha", false, true, false, at(3));
        NodeChange offline = model.changes(at(33)).get(0);
        assertThat(((NodeChange.WentOffline) offline).cause().planned()).isTrue();
        model.recorded(offline);
        model.statusCleared("piha");
        assertThat(model.changes(at(35))).singleElement().isInstanceOfSatisfying(NodeChange.CameBack.class,
                back -> assertThat(back.removed()).isTrue());
    }

    @Test
    void a_long_summary_is_cut_so_a_big_retained_payload_stays_small() {
        assertThat(new FleetAlert("k", "t", Severity.INFO, "c", T0, "x".repeat(5000), 0).summary()).hasSize(FleetAlert.MAX_SUMMARY + 1);
    }

    @Test
    void an_offline_that_is_over_within_the_grace_writes_nothing_and_a_retained_offline_read_again_keeps_its_first_time() {
        FleetModel model = onlinePiha();
        model.status("piha", false, false, false, at(10)); // a broker restart: its last will
        model.disconnected();
        model.syncStarted(at(12));
        model.status("piha", false, false, true, at(12)); // the will, retained, read again
        model.synced();
        assertThat(model.changes(at(39))).isEmpty();
        assertThat(model.changes(at(40))).as("30 s after it was first seen").hasSize(1);
        model.status("piha", true, false, false, at(41));
        assertThat(model.changes(at(80))).isEmpty();
    }
}
