package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.hadiag.app.agent.AgentProcess;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The relay inside {@code run} (mqtt.url set), against a real Home Assistant: the retained alert topics are {@code GET /alerts}. */
@ExtendWith(HomeAssistantExtension.class)
class AgentRelayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String HALLWAY = "input_boolean.hallway_sensor_online";

    private final RealHomeAssistant ha;
    private final Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();

    AgentRelayIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
    }

    @AfterEach
    void stopAndRestore() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        ha.setInputBoolean(HALLWAY, true);
    }

    @Test
    void the_retained_alert_topics_are_the_open_alerts_of_GET_alerts_through_an_opening_and_its_resolution() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        Path config = dir.resolve("ha-diag-agent.yaml");
        int fleetPort = AgentProcess.freePort();
        // The fleet view beside the agent (fleet.enabled): its view of this node must be what the node's own /alerts says.
        Files.writeString(config, """
                mqtt: { url: "mqtt://127.0.0.1:%d", topic_prefix: lab }
                fleet: { enabled: true, port: %d }
                """.formatted(broker.port, fleetPort) + AgentProcess.ON_DEMAND_CHECKS);
        Map<String, String> env = AgentProcess.environment(ha, dir, "relay-node", config);
        AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run");
        running.add(agent);
        MqttRecorder all = new MqttRecorder(broker.port, "lab/#", true);
        running.add(all);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200);

        ha.setInputBoolean(HALLWAY, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agent).path("findings").size() > 0);
        List<String> open = openAlertKeys(agent);
        assertThat(open).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> retainedAlertKeys(broker).equals(open));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> fleetAlertKeys(fleetPort).equals(open));
        // The health topic says what the agent's HA is within 5 s of a change (here: the first heartbeat's answer).
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> fleetNode(fleetPort).path("ha_state").asText().equals("up"));
        JsonNode node = fleetNode(fleetPort);
        assertThat(node.path("presence").asText()).isEqualTo("online");
        assertThat(node.path("version").asText()).isNotBlank();
        assertThat(StreamSupport.stream(node.path("alerts").spliterator(), false).map(a -> a.path("correlation_id").asText()).sorted().toList())
                .isEqualTo(openCorrelationIds(agent));

        ha.setInputBoolean(HALLWAY, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agent).path("findings").isEmpty());
        assertThat(openAlertKeys(agent)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> retainedAlertKeys(broker).isEmpty());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> fleetAlertKeys(fleetPort).isEmpty());
        assertThat(all.messages()).anySatisfy(m -> assertThat(m.topic()).isEqualTo("lab/events/relay-node/ha_entity_recovered"))
                .anySatisfy(m -> assertThat(m.topic()).isEqualTo("lab/agents/relay-node/status"))
                .noneSatisfy(m -> assertThat(m.payload()).contains(ha.token().value()));
        assertThat(agent.stop()).isZero();
        assertThat(agent.stderr()).doesNotContain(ha.token().value());
    }

    private static JsonNode trigger(AgentProcess agent) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/trigger/unavailable_entities"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode fleetNode(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fleet")).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode node : JSON.readTree(response.body()).path("nodes")) {
            if (node.path("node").asText().equals("relay-node")) {
                return node;
            }
        }
        throw new AssertionError("relay-node is not in the fleet view: " + response.body());
    }

    private static List<String> fleetAlertKeys(int port) throws Exception {
        return StreamSupport.stream(fleetNode(port).path("alerts").spliterator(), false).map(a -> a.path("alert_key").asText()).sorted().toList();
    }

    private static List<String> openCorrelationIds(AgentProcess agent) throws Exception {
        JsonNode alerts = JSON.readTree(agent.get("/alerts").body()).path("alerts");
        return StreamSupport.stream(alerts.spliterator(), false).map(a -> a.path("correlation_id").asText()).sorted().toList();
    }

    private static List<String> openAlertKeys(AgentProcess agent) throws Exception {
        JsonNode alerts = JSON.readTree(agent.get("/alerts").body());
        JsonNode list = alerts.isArray() ? alerts : alerts.path("alerts");
        return StreamSupport.stream(list.spliterator(), false).map(a -> a.path("alert_key").asText()).sorted().toList();
    }

    /**
     * What a subscriber connecting now sees under the alert topics. Retained messages come right after the
     * subscription; a marker published afterwards on the same filter arrives after them, so its arrival means all are in.
     */
    private static List<String> retainedAlertKeys(MosquittoBroker broker) throws Exception {
        try (MqttRecorder late = new MqttRecorder(broker.port, "lab/alerts/#", false)) {
            Mqtt5BlockingClient marker = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
            marker.connect();
            marker.publishWith().topic("lab/alerts/marker").payload("m".getBytes(StandardCharsets.UTF_8)).send();
            marker.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> late.messages().stream().anyMatch(m -> m.topic().equals("lab/alerts/marker")));
            return late.messages().stream().filter(m -> m.retained()).map(m -> m.topic().substring(m.topic().lastIndexOf('/') + 1))
                    .sorted().toList();
        }
    }
}
