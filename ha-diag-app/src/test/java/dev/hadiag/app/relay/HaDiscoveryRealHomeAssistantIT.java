package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.hadiag.app.agent.AgentProcess;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.testing.States;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 item 4 against the real Home Assistant: the agent as a jar process with {@code mqtt.ha_discovery} on, relaying to
 * HA's own broker; HA creates the two entities on the node's device, follows the alerts (a warning counts but is no
 * problem, an error is), and shows them unavailable after a clean stop and after a {@code kill -9} (the last will).
 */
@ExtendWith(HomeAssistantExtension.class)
class HaDiscoveryRealHomeAssistantIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String HALLWAY = "input_boolean.hallway_sensor_online";
    private static final String NODE = "disc-it";
    private static final String PREFIX = "lab-disc";
    private static final String LOGGER = "homeassistant.components.ha_diag_discovery_it";
    private static final String LOG_ERRORS_KEY = "ha_log_errors:integration:ha_diag_discovery_it";
    private static final List<String> RETAINED = List.of(
            // Entities first (an empty config removes the entity and its device), then their topics.
            "homeassistant/binary_sensor/ha_diag_disc-it/problem/config", "homeassistant/sensor/ha_diag_disc-it/open_alerts/config",
            PREFIX + "/agents/" + NODE + "/problem", PREFIX + "/agents/" + NODE + "/open_alerts", PREFIX + "/agents/" + NODE + "/status",
            PREFIX + "/agents/" + NODE + "/health");

    private final RealHomeAssistant ha;
    private final Path dir;
    private final OkHttpHomeAssistant client;
    private AgentProcess agent;
    private boolean loggedCritical;

    HaDiscoveryRealHomeAssistantIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
        this.client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()));
    }

    @AfterEach
    void clearEverythingPublished() throws Exception {
        if (agent != null) {
            agent.kill();
        }
        if (ha.mqttPort().isEmpty()) {
            return;
        }
        Mqtt5BlockingClient broker = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(ha.mqttPort().getAsInt())
                .buildBlocking();
        broker.connect();
        try {
            for (String topic : RETAINED) {
                broker.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
            }
        } finally {
            broker.disconnect();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> device().isEmpty());
        ha.setInputBoolean(HALLWAY, true);
        if (loggedCritical) {
            ha.callService("system_log", "clear", "{}"); // the suite's later checks of HA's log must not find this test's line
        }
    }

    @Test
    void ha_creates_the_problem_and_open_alerts_entities_follows_the_alerts_and_shows_them_unavailable_when_the_agent_stops_or_dies()
            throws Exception {
        assumeTrue(ha.mqttPort().isPresent(), "HA's broker is not reachable from this host (container mode)");
        Path config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, """
                mqtt: { url: "mqtt://127.0.0.1:%d", topic_prefix: %s, ha_discovery: true }
                """.formatted(ha.mqttPort().getAsInt(), PREFIX)
                + AgentProcess.ON_DEMAND_CHECKS.replace("ha_log_errors: { enabled: false }", "ha_log_errors: { interval: 1h, min_level: critical }"));
        Map<String, String> env = AgentProcess.environment(ha, dir, NODE, config);
        agent = AgentProcess.start(dir, List.of(), env, "run");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200);

        // The device and its two entities, named after the node, with the agent's count of open alerts.
        await().atMost(Duration.ofSeconds(30)).until(() -> entities().size() == 2);
        assertThat(entities()).containsExactlyInAnyOrder("binary_sensor.ha_diag_disc_it_problem", "sensor.ha_diag_disc_it_open_alerts");
        assertThat(device().orElseThrow().name()).isEqualTo("ha-diag " + NODE);
        // HA follows the agent's own count of open alerts, whatever the shared HA holds: each step waits for both to agree.
        followsTheAgent("off");

        // A warning: counted, and no problem.
        ha.setInputBoolean(HALLWAY, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger("unavailable_entities").path("findings").size() > 0);
        assertThat(alertKeys()).anyMatch(key -> key.contains("hallway"));
        followsTheAgent("off");

        // An error (an integration's CRITICAL line in HA's log): a problem.
        loggedCritical = true;
        ha.callService("system_log", "write", "{\"message\": \"ha-diag discovery test\", \"logger\": \"" + LOGGER + "\", \"level\": \"critical\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger("ha_log_errors").path("findings").size() > 0);
        assertThat(alertKeys()).contains(LOG_ERRORS_KEY);
        int withBoth = followsTheAgent("on");

        // The warning resolved: one fewer, and the error is still a problem.
        ha.setInputBoolean(HALLWAY, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger("unavailable_entities").path("findings").isEmpty());
        assertThat(alertKeys()).noneMatch(key -> key.contains("hallway")).contains(LOG_ERRORS_KEY);
        int open = followsTheAgent("on");
        assertThat(open).isLessThan(withBoth);

        // A clean stop: offline on the status topic, the entities unavailable, not removed.
        assertThat(agent.stop()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> shows("unavailable", "unavailable"));
        assertThat(entities()).hasSize(2);

        // Back, then killed: the last will makes them unavailable too.
        agent = AgentProcess.start(dir, List.of(), env, "run");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200);
        // Available again with the agent's state (its error alert adopted from its database; its checks' first runs may add others).
        followsTheAgent("on");
        assertThat(alertKeys()).contains(LOG_ERRORS_KEY);
        agent.kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> shows("unavailable", "unavailable"));
        assertThat(agent.stderr()).doesNotContain(ha.token().value());
        agent = null;
    }

    private Optional<DeviceRegistryEntry> device() {
        return client.deviceRegistry().stream().filter(d -> d.name().equals("ha-diag " + NODE)).findFirst();
    }

    private List<String> entities() {
        Optional<DeviceRegistryEntry> device = device();
        if (device.isEmpty()) {
            return List.of();
        }
        return client.registries().entities().stream().filter(e -> device.get().id().equals(e.deviceId()))
                .map(EntityRegistryEntry::entityId).toList();
    }

    /** Whether HA shows the problem entity in {@code problem} and the count entity in {@code count}. */
    private boolean shows(String problem, String count) {
        Map<String, String> states = new java.util.HashMap<>();
        for (EntityState state : States.of(client)) {
            states.put(state.entityId(), state.state());
        }
        return problem.equals(states.get("binary_sensor.ha_diag_disc_it_problem")) && count.equals(states.get("sensor.ha_diag_disc_it_open_alerts"));
    }

    /** Waits until HA shows the agent's count of open alerts and {@code problem}; returns the count. */
    private int followsTheAgent(String problem) throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> shows(problem, String.valueOf(alertKeys().size())));
        return alertKeys().size();
    }

    private List<String> alertKeys() throws Exception {
        JsonNode alerts = JSON.readTree(agent.get("/alerts").body());
        List<String> keys = new java.util.ArrayList<>();
        (alerts.isArray() ? alerts : alerts.path("alerts")).forEach(alert -> keys.add(alert.path("alert_key").asText()));
        return keys;
    }

    private JsonNode trigger(String check) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/trigger/" + check))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
