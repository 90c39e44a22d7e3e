package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.app.relay.MosquittoBroker;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28's test as its "Tests" section writes it: three agents ({@code ha-diag run}) as real processes relaying to a
 * real mosquitto, two watching the real Home Assistant and one an HA that is not there, and one {@code ha-diag fleet}.
 * The page in the real Chromium shows the three nodes with their HA's state; {@code GET /fleet} lists for each node what
 * that node's own {@code GET /alerts} says; a {@code kill -9} of one agent writes {@code node_offline} and marks it, and its
 * restart writes {@code node_online} with the same correlation id. (Broker and fleet restarts: {@code FleetJarIT}.)
 */
@ExtendWith(HomeAssistantExtension.class)
class FleetOfAgentsBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Path SCREENSHOTS = Path.of("target", "fleet-page");
    private static final String HALLWAY = "input_boolean.hallway_sensor_online";

    private final RealHomeAssistant ha;
    private final Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();

    FleetOfAgentsBrowserIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess agent : agents.values()) {
            agent.close();
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        ha.setInputBoolean(HALLWAY, true);
    }

    private void startAgent(String node, MosquittoBroker broker, String haUrl) throws Exception {
        Map<String, String> env = environments.get(node);
        if (env == null) {
            Path home = Files.createDirectories(dir.resolve(node));
            Path config = home.resolve("ha-diag-agent.yaml");
            Files.writeString(config, """
                    mqtt: { url: "mqtt://127.0.0.1:%d", topic_prefix: homelab, heartbeat_interval: 2s }
                    """.formatted(broker.port) + AgentProcess.ON_DEMAND_CHECKS);
            env = AgentProcess.environment(ha, home, node, config);
            env.put("HA_URL", haUrl);
            environments.put(node, env);
        }
        agents.put(node, AgentProcess.start(dir.resolve(node), List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), env, "run"));
    }

    @Test
    void three_agents_show_on_the_fleet_page_with_their_ha_each_node_lists_its_own_alerts_and_a_killed_agent_goes_offline_and_back()
            throws Exception {
        if (!Files.isExecutable(WebDriverBrowser.CHROMEDRIVER) && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("chromium and chromedriver are not installed");
        }
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        startAgent("piha", broker, ha.url());
        startAgent("chelsty", broker, ha.url());
        startAgent("offsite", broker, "http://127.0.0.1:" + AgentProcess.freePort()); // nothing listens there
        AgentProcess fleet = AgentProcess.start(dir.resolve("fleet"), List.of("-Xmx96m", "-XX:TieredStopAtLevel=1"), Map.of("NODE_NAME", "fleet",
                "HA_DIAG_FLEET_OFFLINE_GRACE", "2s", "HA_DIAG_MQTT_TOPIC_PREFIX", "homelab"), "fleet", "--mqtt-url",
                "mqtt://127.0.0.1:" + broker.port, "--events-dir", dir.resolve("fleet-events").toString());
        running.add(fleet);
        for (AgentProcess agent : agents.values()) {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> agent.get("/health").statusCode() > 0);
        }

        // piha alone sees the hallway sensor go: its alert is its own, not chelsty's, though both watch the same HA.
        ha.setInputBoolean(HALLWAY, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agents.get("piha")).path("findings").size() > 0);
        assertThat(alertKeys(agents.get("piha"))).anyMatch(key -> key.contains("hallway"));

        // GET /fleet equals what each node's own GET /alerts says, and each node's HA is as its agent finds it.
        Map<String, String> haStates = Map.of("piha", "up", "chelsty", "up", "offsite", "down");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            Map<String, JsonNode> nodes = nodes(fleet);
            for (Map.Entry<String, AgentProcess> agent : agents.entrySet()) {
                JsonNode node = nodes.get(agent.getKey());
                if (node == null || !node.path("presence").asText().equals("online")
                        || !node.path("ha_state").asText().equals(haStates.get(agent.getKey()))
                        || !fleetAlertKeys(node).equals(alertKeys(agent.getValue()))) {
                    return false;
                }
            }
            return true;
        });
        assertThat(fleetAlertKeys(nodes(fleet).get("piha"))).anyMatch(key -> key.contains("hallway"));
        assertThat(fleetAlertKeys(nodes(fleet).get("chelsty"))).noneMatch(key -> key.contains("hallway"));

        WebDriverBrowser browser = WebDriverBrowser.start(dir, 375, 1000);
        running.add(browser);
        browser.open("http://127.0.0.1:" + fleet.port + "/");
        assertThat(browser.script("return Array.from(document.querySelectorAll('.fleet-node')).map(n => n.dataset.node + ' ' + n.dataset.presence"
                + " + ' ' + n.querySelector('[data-ha-state]').dataset.haState);")).extracting(Object::toString)
                .containsExactlyInAnyOrder("\"piha online up\"", "\"chelsty online up\"", "\"offsite online down\"");
        browser.screenshot(SCREENSHOTS.resolve("3-agents-online.png"));

        // kill -9 of chelsty's agent: its last will, node_offline (a crash) and the row marked on the page's own refresh.
        agents.get("chelsty").kill();
        await().atMost(Duration.ofSeconds(60)).until(() -> nodeEvents("node_offline", "chelsty").size() == 1);
        JsonNode offline = nodeEvents("node_offline", "chelsty").get(0);
        assertThat(offline.path("severity").asText()).isEqualTo("error");
        assertThat(offline.path("payload").path("planned").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.script(
                "return document.querySelector('[data-node=\"chelsty\"]').dataset.presence;").asText().equals("offline"));
        browser.screenshot(SCREENSHOTS.resolve("4-agent-killed.png"));

        // Its restart (same database): node_online under the same correlation id, and its own alerts again.
        startAgent("chelsty", broker, ha.url());
        await().atMost(Duration.ofSeconds(90)).until(() -> nodeEvents("node_online", "chelsty").size() == 1);
        assertThat(nodeEvents("node_online", "chelsty").get(0).path("correlation_id").asText()).isEqualTo(offline.path("correlation_id").asText());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> nodes(fleet).get("chelsty").path("presence").asText().equals("online")
                && fleetAlertKeys(nodes(fleet).get("chelsty")).equals(alertKeys(agents.get("chelsty"))));
        assertThat(nodeEvents("node_offline", "piha")).isEmpty();
        assertThat(nodeEvents("node_offline", "offsite")).as("an agent whose HA is down is still online").isEmpty();
        for (AgentProcess agent : agents.values()) {
            assertThat(agent.stderr()).doesNotContain(ha.token().value());
        }
    }

    private static JsonNode trigger(AgentProcess agent) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/trigger/unavailable_entities"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> alertKeys(AgentProcess agent) throws Exception {
        JsonNode alerts = JSON.readTree(agent.get("/alerts").body());
        JsonNode list = alerts.isArray() ? alerts : alerts.path("alerts");
        return StreamSupport.stream(list.spliterator(), false).map(a -> a.path("alert_key").asText()).sorted().toList();
    }

    private static List<String> fleetAlertKeys(JsonNode node) {
        return StreamSupport.stream(node.path("alerts").spliterator(), false).map(a -> a.path("alert_key").asText()).sorted().toList();
    }

    private static Map<String, JsonNode> nodes(AgentProcess fleet) throws Exception {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        JSON.readTree(fleet.get("/fleet").body()).path("nodes").forEach(node -> nodes.put(node.path("node").asText(), node));
        return nodes;
    }

    private List<JsonNode> nodeEvents(String type, String node) throws Exception {
        Path root = dir.resolve("fleet-events");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                JsonNode event = JSON.readTree(file.toFile());
                if (event.path("type").asText().equals(type) && event.path("payload").path("node").asText().equals(node)) {
                    found.add(event);
                }
            }
        }
        return found;
    }
}
