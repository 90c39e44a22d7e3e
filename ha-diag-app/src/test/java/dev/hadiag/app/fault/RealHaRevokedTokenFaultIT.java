package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token of the real HA revoked while the agent runs its checks every second. Counts the failed logins
 * in HA's own log ("Login attempt or request with invalid authentication"), as an operator would see them.
 */
@ExtendWith(HomeAssistantExtension.class)
class RealHaRevokedTokenFaultIT {

    static final String CLIENT_NAME = "ha-diag-fault-suite";
    static final String FAILED_LOGIN = "Login attempt or request with invalid authentication";
    static final Duration WATCHED = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    private final RealHomeAssistant ha;
    private final Path dir;
    private AgentProcess agent;

    RealHaRevokedTokenFaultIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void a_revoked_token_costs_a_bounded_number_of_failed_logins_in_HA_then_none_until_the_retry() throws Exception {
        Path haLog = haLog();
        Assumptions.assumeTrue(Files.exists(haLog), "HA's log file is not reachable (container HA)");
        String token = command("auth/long_lived_access_token", Map.of("client_name", CLIENT_NAME, "lifespan", 1)).asText();
        agent = new AgentProcess(dir, ha.url(), token, RevokedTokenFaultIT.CONFIG, Map.of());
        agent.start();
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> health().contains("\"ws_connected\":true"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> health().contains("\"updates_available\":{\"status\":\"ok\""));

        long before = failedLogins(haLog);
        String id = null;
        for (JsonNode refresh : command("auth/refresh_tokens", Map.of())) {
            if (CLIENT_NAME.equals(refresh.path("client_name").asText())) {
                id = refresh.get("id").asText();
            }
        }
        assertThat(id).as("the agent's refresh token").isNotNull();
        command("auth/delete_refresh_token", Map.of("refresh_token_id", id));

        await().atMost(Duration.ofSeconds(30)).until(() -> agent.written(EventTypes.HA_AUTH_FAILED).size() == 1);
        long atAlert = failedLogins(haLog) - before;
        try {
            await().during(WATCHED).atMost(WATCHED.plusSeconds(10)).until(() -> failedLogins(haLog) - before == atAlert);
        } finally {
            System.out.printf("revoked token (real HA): %d failed logins in HA's log in the %d s after revocation (checks every 1 s);"
                    + " %d ha_auth_failed events%n", failedLogins(haLog) - before, WATCHED.toSeconds() + 1,
                    agent.written(EventTypes.HA_AUTH_FAILED).size());
        }
        long total = failedLogins(haLog) - before;
        assertThat(total).isBetween(0L, (long) RevokedTokenFaultIT.MAX_FAILED_LOGINS);
        // The count above reads HA's log: one request with a bad token must show there, or the bound proves nothing.
        long calibration = failedLogins(haLog);
        AgentProcess.HTTP.send(HttpRequest.newBuilder(URI.create(ha.url() + "/api/")).header("Authorization", "Bearer not-a-token")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        await().atMost(Duration.ofSeconds(30)).until(() -> failedLogins(haLog) > calibration);
        assertThat(agent.written(EventTypes.HA_AUTH_FAILED)).hasSize(1);
        assertThat(agent.logs()).doesNotContain(token).doesNotContain(ha.token().value());
    }

    private Path haLog() throws Exception {
        HttpResponse<String> response = AgentProcess.HTTP.send(HttpRequest.newBuilder(URI.create(ha.url() + "/api/config"))
                .header("Authorization", "Bearer " + ha.token().value()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        Path configDir = Path.of(JSON.readTree(response.body()).get("config_dir").asText());
        return configDir.resolveSibling("ha.log"); // deploy/dev/ha-dev.sh: --log-file <state>/ha.log
    }

    private static long failedLogins(Path haLog) throws IOException {
        try (Stream<String> lines = Files.lines(haLog, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(FAILED_LOGIN)).count();
        }
    }

    /** One command over HA's WebSocket API with the test's admin token; its result. */
    private JsonNode command(String type, Map<String, Object> fields) throws Exception {
        OkHttpClient client = new OkHttpClient();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocket(new Request.Builder().url(ha.url().replaceFirst("^http", "ws") + "/api/websocket").build(),
                new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        frames.add(text);
                    }
                });
        try {
            next(frames, "auth_required");
            socket.send(JSON.writeValueAsString(Map.of("type", "auth", "access_token", ha.token().value())));
            next(frames, "auth_ok");
            ObjectNode message = JSON.valueToTree(fields);
            message.put("id", 1).put("type", type);
            socket.send(JSON.writeValueAsString(message));
            JsonNode result = next(frames, "result");
            assertThat(result.get("success").asBoolean()).as(type + ": " + result).isTrue();
            return result.get("result");
        } finally {
            socket.close(1000, null);
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static JsonNode next(BlockingQueue<String> frames, String type) throws Exception {
        String frame = frames.poll(30, TimeUnit.SECONDS);
        assertThat(frame).as("a " + type + " frame within 30 s").isNotNull();
        JsonNode node = JSON.readTree(frame);
        assertThat(node.get("type").asText()).as(frame).isEqualTo(type);
        return node;
    }

    private String health() throws Exception {
        HttpResponse<String> response = agent.get("/health");
        return response.body();
    }

}
