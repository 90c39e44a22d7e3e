package dev.hadiag.ha.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * HA as the official container image, where a Docker engine is reachable. Onboarding and the long-lived
 * token go through HA's API as in deploy/dev/ha_setup.py. The MQTT scenarios need the local broker and
 * are skipped in this mode ({@link #controlsMqttBroker()} is false).
 */
final class ContainerHomeAssistant implements RealHomeAssistant, AutoCloseable {

    static final String IMAGE = "ghcr.io/home-assistant/home-assistant:2024.3.3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GenericContainer<?> container;
    private AccessToken token;

    @SuppressWarnings("resource")
    private ContainerHomeAssistant(Path configuration) {
        container = new GenericContainer<>(IMAGE)
                .withExposedPorts(8123)
                .withCopyFileToContainer(MountableFile.forHostPath(configuration), "/config/configuration.yaml")
                .waitingFor(Wait.forHttp("/api/onboarding").forPort(8123).withStartupTimeout(Duration.ofMinutes(3)));
    }

    static ContainerHomeAssistant start(Path script) throws IOException, InterruptedException {
        String template = Files.readString(script.getParent().resolve("ha-config/configuration.yaml"));
        // In the container HA listens on all interfaces at 8123; there is no broker, so no MQTT section.
        String config = template.replace("server_host: 127.0.0.1", "server_host: 0.0.0.0").replace("@HA_PORT@", "8123")
                .replaceAll("(?s)\nmqtt:.*", "\n");
        Path file = Files.createTempFile("ha-diag-container-config", ".yaml");
        Files.writeString(file, config);
        ContainerHomeAssistant ha = new ContainerHomeAssistant(file);
        ha.container.start();
        ha.token = onboard(ha.url());
        return ha;
    }

    private static AccessToken onboard(String base) throws IOException, InterruptedException {
        HttpClient http = RealHomeAssistant.Http.CLIENT;
        String clientId = base + "/";
        JsonNode user = post(http, base + "/api/onboarding/users", "application/json", JSON.writeValueAsString(java.util.Map.of(
                "client_id", clientId, "name", "ha-diag", "username", "ha-diag", "password", "ha-diag-dev-only", "language", "en")));
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(user.get("auth_code").asText(), StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        String access = post(http, base + "/auth/token", "application/x-www-form-urlencoded", form).get("access_token").asText();
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/api/websocket"),
                new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).join();
        try {
            frames.poll(30, TimeUnit.SECONDS);
            socket.sendText(JSON.writeValueAsString(java.util.Map.of("type", "auth", "access_token", access)), true).join();
            frames.poll(30, TimeUnit.SECONDS);
            socket.sendText("{\"id\":1,\"type\":\"auth/long_lived_access_token\",\"client_name\":\"ha-diag-tests\",\"lifespan\":3650}", true).join();
            String reply = frames.poll(30, TimeUnit.SECONDS);
            return new AccessToken(JSON.readTree(reply).get("result").asText());
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private static JsonNode post(HttpClient http, String url, String type, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + url + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public String url() {
        return "http://" + container.getHost() + ":" + container.getMappedPort(8123);
    }

    @Override
    public AccessToken token() {
        return token;
    }

    @Override
    public void stopHomeAssistant() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void killHomeAssistant() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void startHomeAssistant() {
        throw new UnsupportedOperationException("restarting the container HA is not supported (its port mapping changes)");
    }

    @Override
    public boolean controlsMqttBroker() {
        return false;
    }

    @Override
    public void stopMqttBroker() {
        throw new UnsupportedOperationException("no broker in container mode");
    }

    @Override
    public void startMqttBroker() {
        throw new UnsupportedOperationException("no broker in container mode");
    }

    /** Restart scenarios need the local process; container mode skips them. */
    @Override
    public boolean canRestart() {
        return false;
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "container Home Assistant " + IMAGE + " at " + url();
    }
}
