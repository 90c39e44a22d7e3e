package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that fails shows where the operator looks (issue 26, item 12): ntfy refusing the token (a webhook answering
 * 401) and a broker that is not there, in /health, /metrics and on the status page, and the webhook's failure gone once
 * it takes an event again. No Home Assistant: the agent's own ha_websocket_dead is the first event to push.
 */
class FailingRelayJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : running) {
            each.close();
        }
    }

    @Test
    void a_refusing_webhook_and_a_missing_broker_fail_health_show_in_metrics_and_on_the_page_and_the_webhook_recovers() throws Exception {
        AtomicInteger answer = new AtomicInteger(401);
        AtomicInteger received = new AtomicInteger();
        HttpServer ntfy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ntfy.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        ntfy.start();
        running.add(() -> ntfy.stop(0));

        Path config = Files.writeString(dir.resolve("ha-diag-agent.yaml"), """
                websocket: { grace: 1s }
                relay: { failing_after: 1s }
                notify:
                  webhook: { format: ntfy }
                """ + AgentProcess.ON_DEMAND_CHECKS);
        Map<String, String> env = new java.util.HashMap<>(Map.of("HA_URL", "http://127.0.0.1:" + AgentProcess.freePort(), "HA_TOKEN", "relay-it-token",
                "NODE_NAME", "relay-it", "HA_DIAG_EVENTS_DIR", dir.resolve("events").toString(), "HA_DIAG_DB", dir.resolve("ha_diag.db").toString(),
                "HA_DIAG_CONFIG", config.toString()));
        env.put("HA_DIAG_WEBHOOK_URL", "http://127.0.0.1:" + ntfy.getAddress().getPort() + "/ha-diag-alerts");
        env.put("HA_DIAG_MQTT_URL", "mqtt://127.0.0.1:" + AgentProcess.freePort());
        AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run");
        running.add(agent);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> relayProblems(agent).size() == 2);
        assertThat(agent.get("/health").statusCode()).isEqualTo(503);
        assertThat(relayProblems(agent)).anySatisfy(reason -> assertThat(reason).startsWith("webhook http://127.0.0.1:")
                .contains("refuses events", "answered 401").doesNotContain("ha-diag-alerts"))
                .anySatisfy(reason -> assertThat(reason).startsWith("mqtt 127.0.0.1:").contains("down: cannot connect"));
        String metrics = agent.get("/metrics").body();
        assertThat(metric(metrics, "ha_diag_relay_up\\{destination=\"webhook[^\"]*\"}")).isZero();
        assertThat(metric(metrics, "ha_diag_relay_up\\{destination=\"mqtt[^\"]*\"}")).isZero();
        assertThat(metric(metrics, "ha_diag_relay_refused_total\\{destination=\"webhook[^\"]*\"}")).isGreaterThanOrEqualTo(1.0);
        String page = agent.get("/").body();
        assertThat(page).contains("<strong>relay</strong>: webhook", "<strong>relay</strong>: mqtt", "the relay does not deliver them");

        // ntfy takes events again: the next alert event is delivered, and only the broker is left failing.
        answer.set(200);
        int before = received.get();
        try (AgentProcess emit = AgentProcess.start(dir, List.of(), env, "events", "emit", "--type", "ha_entity_unavailable_long",
                "--severity", "warning", "--source", "relay-it", "--service", "homeassistant", "--correlation-id", "relay-it-1",
                "--payload", "{\"alert_key\": \"ha_entity_unavailable_long:entity:sensor.relay_it\", \"summary\": \"sensor down\"}")) {
            assertThat(emit.waitFor()).as(emit.stderr()).isZero();
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> received.get() > before && relayProblems(agent).size() == 1);
        assertThat(relayProblems(agent)).singleElement().asString().startsWith("mqtt ");
        assertThat(metric(agent.get("/metrics").body(), "ha_diag_relay_up\\{destination=\"webhook[^\"]*\"}")).isEqualTo(1.0);
        assertThat(agent.terminate()).as("SIGTERM while /health fails for the broker").isZero();
    }

    private static List<String> relayProblems(AgentProcess agent) throws Exception {
        JsonNode health = JSON.readTree(agent.get("/health").body());
        List<String> reasons = new ArrayList<>();
        health.path("problems").forEach(problem -> {
            if (problem.path("component").asText().equals("relay")) {
                reasons.add(problem.path("reason").asText());
            }
        });
        return reasons;
    }

    private static double metric(String metrics, String series) {
        Matcher value = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics);
        assertThat(value.find()).as(series).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
