package dev.hadiag.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.fleet.FleetModel;
import dev.hadiag.core.fleet.NodeView;
import dev.hadiag.core.fleet.OfflineCause;
import dev.hadiag.core.fleet.Presence;
import dev.hadiag.events.fs.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FleetMessagesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final FleetMessages messages = new FleetMessages("home/lab");

    private FleetModel synced() {
        FleetModel model = new FleetModel(Duration.ofMinutes(3), Duration.ofSeconds(30), () -> "id");
        model.syncStarted(NOW);
        model.synced();
        return model;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] alertEvent(String alertKey) {
        return EventJson.toFileBytes(Event.of(NOW, "piha", "ha_battery_low", Severity.WARNING, "ha-diag-agent", "homeassistant", "c-1",
                alertKey.isEmpty() ? Map.of("summary", "low") : Map.of("alert_key", alertKey, "summary", "low", "entities", List.of("sensor.x", "sensor.y"))));
    }

    static Stream<Arguments> topicsThatAreNotTheFleets() {
        return Stream.of(Arguments.of("homelab/agents/piha/status"), Arguments.of("home/lab/agents/piha"),
                Arguments.of("home/lab/agents/piha/other"), Arguments.of("home/lab/fleet/me/sync"), Arguments.of("home/lab/alerts//k"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void topicsThatAreNotTheFleets(String topic) {
        FleetModel model = synced();
        assertThat(messages.apply(model, topic, bytes("online"), true, "", NOW)).isFalse();
        assertThat(model.nodes(NOW)).isEmpty();
    }

    @Test
    void a_clean_stop_is_told_from_the_last_will_by_its_reason_property() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/agents/piha/status", bytes("offline"), false, "stopped", NOW);
        messages.apply(model, "home/lab/agents/nas/status", bytes("offline"), false, "connection_lost", NOW);
        messages.apply(model, "home/lab/agents/old/status", bytes("offline"), false, "", NOW);
        assertThat(model.nodes(NOW)).extracting(NodeView::node, NodeView::cause).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nas", OfflineCause.CONNECTION_LOST), org.assertj.core.groups.Tuple.tuple("old", OfflineCause.CONNECTION_LOST),
                org.assertj.core.groups.Tuple.tuple("piha", OfflineCause.STOPPED));
    }

    @Test
    void a_retained_alert_is_read_from_the_event_with_its_own_key_and_a_cleared_topic_removes_it() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/agents/piha/status", bytes("online"), true, "", NOW);
        assertThat(messages.apply(model, "home/lab/alerts/piha/ha_battery_low:device:d_1", alertEvent("ha_battery_low:device:d/1"), true, "", NOW))
                .isTrue();
        NodeView piha = model.nodes(NOW).get(0);
        assertThat(piha.presence()).isEqualTo(Presence.ONLINE);
        assertThat(piha.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.alertKey()).as("the payload's key, not the topic's").isEqualTo("ha_battery_low:device:d/1");
            assertThat(alert.level()).isEqualTo("device");
            assertThat(alert.entityCount()).isEqualTo(2);
        });
        messages.apply(model, "home/lab/alerts/piha/ha_battery_low:device:d_1", new byte[0], true, "", NOW);
        assertThat(model.alertCount()).isZero();
    }

    @Test
    void garbage_is_skipped_and_changes_nothing() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/alerts/piha/k", bytes("not json"), true, "", NOW);
        messages.apply(model, "home/lab/alerts/piha/k2", alertEvent(""), true, "", NOW);
        messages.apply(model, "home/lab/agents/piha/health", bytes("{\"version\": 1}"), true, "", NOW);
        messages.apply(model, "home/lab/agents/piha/status", bytes("maybe"), true, "", NOW);
        assertThat(model.nodes(NOW)).isEmpty();
    }

    @Test
    void the_health_json_fills_the_row() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/agents/piha/health", bytes("""
                {"node":"piha","version":"0.1.0","ha_state":"up","agent_state":"ok","open_alerts":2,
                 "published_at":"2026-12-07T11:59:00Z","heartbeat_s":60}"""), true, "", NOW);
        NodeView piha = model.nodes(NOW).get(0);
        assertThat(piha.health()).hasValueSatisfying(health -> {
            assertThat(health.haState()).isEqualTo("up");
            assertThat(health.heartbeat()).isEqualTo(Duration.ofSeconds(60));
        });
        assertThat(piha.lastSeen()).as("a retained health: its own time").isEqualTo(Instant.parse("2026-12-07T11:59:00Z"));
    }

    private static byte[] health(boolean stopped) {
        return bytes("""
                {"node":"piha","version":"0.1.0","ha_state":"up","agent_state":"ok","open_alerts":0,
                 "published_at":"2026-12-07T11:59:00Z","heartbeat_s":60,"stopped":%s}""".formatted(stopped));
    }

    /** MQTT 3.1.1 carries no reason property: the health published before a clean stop's offline says it, in either order. */
    @Test
    void without_the_reason_property_a_clean_stop_is_told_by_the_health_whichever_arrives_first() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/agents/piha/health", health(true), true, "", NOW);
        messages.apply(model, "home/lab/agents/piha/status", bytes("offline"), true, "", NOW);
        messages.apply(model, "home/lab/agents/nas/status", bytes("offline"), true, "", NOW);
        messages.apply(model, "home/lab/agents/nas/health", health(true), true, "", NOW);
        messages.apply(model, "home/lab/agents/pi2/status", bytes("offline"), true, "", NOW);
        messages.apply(model, "home/lab/agents/pi2/health", health(false), true, "", NOW);
        assertThat(model.nodes(NOW)).extracting(NodeView::node, NodeView::cause).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nas", OfflineCause.STOPPED), org.assertj.core.groups.Tuple.tuple("pi2", OfflineCause.CONNECTION_LOST),
                org.assertj.core.groups.Tuple.tuple("piha", OfflineCause.STOPPED));
    }

    @Test
    void the_reason_property_wins_over_the_health() {
        FleetModel model = synced();
        messages.apply(model, "home/lab/agents/piha/health", health(true), true, "", NOW);
        messages.apply(model, "home/lab/agents/piha/status", bytes("offline"), false, "connection_lost", NOW);
        assertThat(model.nodes(NOW).get(0).cause()).isEqualTo(OfflineCause.CONNECTION_LOST);
    }
}
