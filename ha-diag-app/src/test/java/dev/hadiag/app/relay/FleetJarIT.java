package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hadiag.app.agent.AgentProcess;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha-diag fleet} as a process against a real mosquitto, with three agents' relays as processes ({@code ha-diag
 * relay} on a fixture events tree each: no Home Assistant needed, so the HA lock stays free): the view, a {@code kill -9}
 * (the last will) and a clean stop, the restarts of an agent, of the fleet and of the broker, and alerts that come and go
 * while the fleet is down. Every node event is counted: nothing is written twice, nothing is lost.
 */
class FleetJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.now().minusSeconds(600);

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, AgentProcess> relays = new HashMap<>();
    private int written;
    private MosquittoBroker broker;

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess relay : relays.values()) {
            relay.close();
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private Path events(String node) {
        return dir.resolve("events-" + node);
    }

    private void emit(String node, String type, Severity severity, String correlation, String alertKey) {
        // One millisecond apart: the file names (and so the relay's order) follow the order of writing.
        FileSystemEventSink.open(events(node)).emit(Event.of(START.plusMillis(written++), node, type, severity, "ha-diag-agent", "homeassistant",
                correlation, Map.of("alert_key", alertKey, "summary", type + " " + alertKey)));
    }

    private void startRelay(String node) throws Exception {
        Map<String, String> env = Map.of("NODE_NAME", node, "HA_DIAG_MQTT_HEARTBEAT_INTERVAL", "2s");
        relays.put(node, AgentProcess.start(dir.resolve("run-" + node), List.of("-Xmx64m"), env, "relay", "--events-dir", events(node).toString(),
                "--state", dir.resolve("relay-" + node + ".db").toString(), "--mqtt-url", "mqtt://127.0.0.1:" + broker.port));
    }

    private AgentProcess startFleet() throws Exception {
        AgentProcess fleet = AgentProcess.start(dir.resolve("run-fleet"), List.of("-Xmx96m"), Map.of("NODE_NAME", "fleet-it",
                "HA_DIAG_FLEET_OFFLINE_GRACE", "8s"), "fleet",
                "--mqtt-url", "mqtt://127.0.0.1:" + broker.port, "--events-dir", dir.resolve("fleet-events").toString());
        running.add(fleet);
        return fleet;
    }

    private static JsonNode fleetJson(AgentProcess fleet) throws Exception {
        return JSON.readTree(fleet.get("/fleet").body());
    }

    private static Map<String, JsonNode> nodes(AgentProcess fleet) throws Exception {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        fleetJson(fleet).path("nodes").forEach(node -> nodes.put(node.path("node").asText(), node));
        return nodes;
    }

    private static String presence(AgentProcess fleet, String node) throws Exception {
        JsonNode view = nodes(fleet).get(node);
        return view == null ? "absent" : view.path("presence").asText();
    }

    private static List<String> alertKeys(AgentProcess fleet, String node) throws Exception {
        List<String> keys = new ArrayList<>();
        JsonNode view = nodes(fleet).get(node);
        if (view != null) {
            view.path("alerts").forEach(alert -> keys.add(alert.path("alert_key").asText()));
        }
        return keys;
    }

    /** The fleet's node events, oldest first. */
    private List<JsonNode> nodeEvents() throws Exception {
        Path root = dir.resolve("fleet-events");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                found.add(JSON.readTree(file.toFile()));
            }
        }
        return found;
    }

    private List<JsonNode> nodeEvents(String type, String node) throws Exception {
        return nodeEvents().stream().filter(e -> e.path("type").asText().equals(type) && e.path("payload").path("node").asText().equals(node))
                .toList();
    }

    @Test
    void three_agents_a_crash_a_clean_stop_and_restarts_of_agent_fleet_and_broker_write_each_node_event_once() throws Exception {
        broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        emit("node-a", "ha_entity_unavailable_long", Severity.WARNING, "a-1", "ha_entity_unavailable_long:entity:sensor.a1");
        emit("node-a", "ha_battery_low", Severity.WARNING, "a-2", "ha_battery_low:device:d-a2");
        emit("node-a", "ha_battery_ok", Severity.INFO, "a-2", "ha_battery_low:device:d-a2");
        emit("node-b", "ha_integration_failed", Severity.ERROR, "b-1", "ha_integration_failed:integration:zha");
        Files.createDirectories(events("node-c"));
        for (String node : List.of("node-a", "node-b", "node-c")) {
            startRelay(node);
        }
        AgentProcess fleet = startFleet();

        // The view: three nodes online, each with exactly its open alerts, version from the health topic.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> nodes(fleet).size() == 3
                && nodes(fleet).values().stream().allMatch(n -> n.path("presence").asText().equals("online") && n.hasNonNull("version")));
        assertThat(alertKeys(fleet, "node-a")).containsExactly("ha_entity_unavailable_long:entity:sensor.a1");
        assertThat(alertKeys(fleet, "node-b")).containsExactly("ha_integration_failed:integration:zha");
        assertThat(alertKeys(fleet, "node-c")).isEmpty();
        assertThat(nodes(fleet).get("node-b").path("open_alerts").path("error").asInt()).isEqualTo(1);
        assertThat(nodes(fleet).get("node-a").path("ha_state").asText()).isEqualTo("unknown"); // a bare relay knows no HA
        String page = fleet.get("/").body();
        assertThat(page).contains("data-node=\"node-a\"", "data-node=\"node-b\"", "data-node=\"node-c\"")
                .contains("data-fleet-alert-key=\"ha_integration_failed:integration:zha\"");
        assertThat(fleet.get("/metrics").body()).contains("ha_diag_fleet_node_up{node=\"node-b\"} 1")
                .contains("ha_diag_fleet_node_open_alerts{node=\"node-b\",severity=\"error\"} 1").contains("ha_diag_fleet_live 1");
        assertThat(fleet.get("/health").statusCode()).isEqualTo(200);

        // kill -9: the broker publishes node-b's last will; the fleet writes node_offline, a crash, with its open alert.
        relays.get("node-b").kill();
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeEvents("node_offline", "node-b").size() == 1);
        JsonNode offline = nodeEvents("node_offline", "node-b").get(0);
        assertThat(offline.path("severity").asText()).isEqualTo("error");
        assertThat(offline.path("node").asText()).isEqualTo("fleet-it");
        assertThat(offline.path("payload").path("cause").asText()).isEqualTo("connection_lost");
        assertThat(offline.path("payload").path("planned").asBoolean()).isFalse();
        assertThat(offline.path("payload").path("open_alerts").get(0).path("alert_key").asText()).isEqualTo("ha_integration_failed:integration:zha");
        assertThat(presence(fleet, "node-b")).isEqualTo("offline");

        // Back: node_online with the same correlation id.
        startRelay("node-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeEvents("node_online", "node-b").size() == 1);
        assertThat(nodeEvents("node_online", "node-b").get(0).path("correlation_id").asText()).isEqualTo(offline.path("correlation_id").asText());

        // A clean stop is planned.
        assertThat(relays.get("node-c").terminate()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeEvents("node_offline", "node-c").size() == 1);
        assertThat(nodeEvents("node_offline", "node-c").get(0).path("payload").path("planned").asBoolean()).isTrue();
        assertThat(nodeEvents("node_offline", "node-c").get(0).path("payload").path("cause").asText()).isEqualTo("stopped");

        // The fleet is down: node-a's alert is resolved and another opened and resolved; node-c stays away.
        assertThat(fleet.stop()).isZero();
        emit("node-a", "ha_entity_recovered", Severity.INFO, "a-1", "ha_entity_unavailable_long:entity:sensor.a1");
        emit("node-a", "ha_battery_low", Severity.WARNING, "a-3", "ha_battery_low:device:d-a3");
        emit("node-a", "ha_battery_ok", Severity.INFO, "a-3", "ha_battery_low:device:d-a3");
        emit("node-a", "ha_recorder_lag", Severity.WARNING, "a-4", "ha_recorder_lag:ha:recorder");
        try (MqttRecorder alerts = new MqttRecorder(broker.port, "homelab/alerts/node-a/#", false)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> alerts.messages().stream().anyMatch(m -> m.payload().contains("a-4")));
        }
        AgentProcess restarted = startFleet();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> fleetJson(restarted).path("live").asBoolean()
                && alertKeys(restarted, "node-a").equals(List.of("ha_recorder_lag:ha:recorder")));
        assertThat(presence(restarted, "node-c")).isEqualTo("offline");

        // The broker restarts: everything reconnects, the view is rebuilt the same.
        broker.stop();
        broker.start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> fleetJson(restarted).path("live").asBoolean()
                && presence(restarted, "node-a").equals("online") && presence(restarted, "node-b").equals("online"));
        assertThat(alertKeys(restarted, "node-a")).containsExactly("ha_recorder_lag:ha:recorder");
        assertThat(alertKeys(restarted, "node-b")).containsExactly("ha_integration_failed:integration:zha");
        assertThat(presence(restarted, "node-c")).isEqualTo("offline");

        // node-c back: its one outage is resolved, with its id.
        startRelay("node-c");
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeEvents("node_online", "node-c").size() == 1);
        assertThat(nodeEvents("node_online", "node-c").get(0).path("correlation_id").asText())
                .isEqualTo(nodeEvents("node_offline", "node-c").get(0).path("correlation_id").asText());
        assertThat(restarted.stop()).isZero();

        // Once each, nothing else: no node event for node-a, none doubled by the restarts.
        assertThat(nodeEvents()).as(nodeEvents().toString()).extracting(e -> e.path("type").asText() + " " + e.path("payload").path("node").asText())
                .containsExactlyInAnyOrder("node_offline node-b", "node_online node-b", "node_offline node-c", "node_online node-c");
        Schema schema;
        try (InputStream in = Files.newInputStream(Path.of("..", "docs", "event.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        for (JsonNode event : nodeEvents()) {
            assertThat(schema.validate(event)).as(event.toString()).isEmpty();
        }
    }

    /**
     * More retained alerts than mosquitto queues for one client (20 in flight + max_queued_messages 1000, its defaults): a
     * fleet subscribed at QoS 1 got 1,020 of them and dropped the rest at its sync (or never synced, its marker dropped
     * too). Loaded whole, and again after the fleet's restart.
     */
    @Test
    void a_broker_holding_more_retained_alerts_than_mosquittos_client_queue_loads_every_one() throws Exception {
        broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        int count = 2500;
        List<String> keys = new ArrayList<>();
        FileSystemEventSink sink = FileSystemEventSink.open(events("node-many"));
        for (int i = 0; i < count; i++) {
            String key = "ha_entity_unavailable_long:entity:sensor.many_" + i;
            keys.add(key);
            sink.emit(Event.of(START.plusMillis(i), "node-many", "ha_entity_unavailable_long", Severity.WARNING, "ha-diag-agent", "homeassistant",
                    "c-" + i, Map.of("alert_key", key, "summary", "sensor.many_" + i + " unavailable")));
        }
        AgentProcess once = AgentProcess.start(dir.resolve("run-once"), List.of("-Xmx64m"), Map.of("NODE_NAME", "node-many"), "relay", "--once",
                "--events-dir", events("node-many").toString(), "--state", dir.resolve("relay-node-many.db").toString(),
                "--mqtt-url", "mqtt://127.0.0.1:" + broker.port);
        assertThat(once.waitFor()).as(once.stderr()).isZero();

        for (int start = 0; start < 2; start++) {
            AgentProcess fleet = startFleet();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> fleetJson(fleet).path("live").asBoolean());
            assertThat(alertKeys(fleet, "node-many")).as("start %d", start).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(fleet.get("/").body()).as("the page lists a bounded number, counts them all").contains("2500 warning")
                    .contains("data-unlisted-alerts=\"2400\"");
            fleet.stop();
            running.remove(fleet);
        }
    }
}
