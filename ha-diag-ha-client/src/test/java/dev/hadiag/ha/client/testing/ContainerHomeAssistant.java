package dev.hadiag.ha.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * HA as the official container image {@code ghcr.io/home-assistant/home-assistant:VERSION} (here a local
 * stand-in of the same name, built by {@code ha-dev.sh image}), with the MQTT broker as a second container
 * on a network of their own: HA reaches it as {@code mqtt:1883}. The setup is ha_setup.py's, through the
 * same HA APIs: onboarding, a long-lived token, core state {@code RUNNING}, the MQTT config entry, the
 * retained messages, then one restart so that HA raises no repairs about the setup itself. HA is published
 * on a fixed port of 127.0.0.1 only, so the URL stays the same when a test stops and starts the container.
 * mosquitto comes from {@code HA_DIAG_TEST_MQTT_IMAGE} (default: the HA image, which the local stand-in has it in).
 */
final class ContainerHomeAssistant implements RealHomeAssistant, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String MOSQUITTO_CONF = """
            # mosquitto as root, so that it may write its retained messages into the image's own directory
            user root
            listener 1883 0.0.0.0
            allow_anonymous true
            persistence true
            persistence_location /var/lib/mosquitto/
            log_dest stdout
            """;

    private final String version;
    private final Network network;
    private final GenericContainer<?> broker;
    private final GenericContainer<?> container;
    private final String url;
    private AccessToken token;
    private boolean brokerRunning;

    @SuppressWarnings("resource")
    private ContainerHomeAssistant(String version, String configuration, int hostPort) {
        this.version = version;
        String image = "ghcr.io/home-assistant/home-assistant:" + version;
        network = Network.newNetwork();
        broker = new GenericContainer<>(DockerImageName.parse(System.getenv().getOrDefault("HA_DIAG_TEST_MQTT_IMAGE", image)))
                .withNetwork(network).withNetworkAliases("mqtt")
                .withCopyToContainer(Transferable.of(MOSQUITTO_CONF), "/etc/mosquitto/ha-diag.conf")
                .withCommand("/usr/sbin/mosquitto", "-c", "/etc/mosquitto/ha-diag.conf");
        container = new GenericContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withCopyToContainer(Transferable.of(configuration), "/config/configuration.yaml")
                // Loopback only, and a port fixed at creation: a stopped and started container keeps its URL.
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withExposedPorts(ExposedPort.tcp(8123));
                    cmd.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                            ExposedPort.tcp(8123)));
                });
        url = "http://127.0.0.1:" + hostPort;
    }

    static ContainerHomeAssistant start(Path script, String version) throws IOException, InterruptedException {
        String template = Files.readString(script.getParent().resolve("ha-config/configuration.yaml"));
        // In the container HA keeps its default HTTP settings (all interfaces of the container, port 8123): no
        // http: section, which HA 2026.11 would migrate into a pending config that it reverts 5 minutes later.
        String config = template.replaceAll("(?m)^http:\\n(?:[ \\t]+.*\\n)*", "");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ContainerHomeAssistant ha = new ContainerHomeAssistant(version, config, port);
        try {
            ha.broker.start();
            ha.brokerRunning = true;
            ha.container.start();
            ha.setUp();
            return ha;
        } catch (IOException | InterruptedException | RuntimeException e) {
            ha.close();
            throw e;
        }
    }

    private void setUp() throws IOException, InterruptedException {
        waitFor("HA to answer /api/onboarding", () -> status("/api/onboarding") == 200);
        token = onboard(url);
        waitFor("core state RUNNING", () -> "RUNNING".equals(field("/api/config", "state")));
        createMqttEntry();
        Map<String, String> retained = new LinkedHashMap<>();
        retained.put("ha-diag-test/garden/temperature", "18.5");
        retained.put("ha-diag-test/garden/humidity", "60");
        retained.put("ha-diag-test/garden/firmware/installed", "1.0.0");
        retained.put("ha-diag-test/garden/firmware/latest", "1.1.0");
        for (Map.Entry<String, String> message : retained.entrySet()) {
            callService("mqtt", "publish", JSON.writeValueAsString(Map.of("topic", message.getKey(), "payload", message.getValue(),
                    "retain", true)));
        }
        waitFor("update.garden_station_firmware to be on", () -> "on".equals(field("/api/states/update.garden_station_firmware", "state")));
        // MQTT's YAML was read before its config entry existed (repair mqtt/yaml_setup_without_active_setup):
        // a user's next start clears that, so does this one.
        stopHomeAssistant();
        startHomeAssistant();
    }

    private void createMqttEntry() throws IOException, InterruptedException {
        JsonNode flow = request("POST", "/api/config/config_entries/flow", "{\"handler\": \"mqtt\", \"show_advanced_options\": false}");
        Map<String, Object> broker = new LinkedHashMap<>();
        broker.put("broker", "mqtt");
        broker.put("port", 1883);
        // HA 2026.11's broker step requires this section (HTTP 400 without it); 2024.3's form has none.
        for (JsonNode field : flow.path("data_schema")) {
            if (field.path("name").asText().equals("other_settings")) {
                broker.put("other_settings", Map.of("set_client_cert", false, "set_ca_cert", "off", "transport", "tcp"));
            }
        }
        JsonNode result = request("POST", "/api/config/config_entries/flow/" + flow.path("flow_id").asText(), JSON.writeValueAsString(broker));
        if (!result.path("type").asText().equals("create_entry")) {
            throw new IOException("MQTT config entry not created: " + result);
        }
    }

    private static AccessToken onboard(String base) throws IOException, InterruptedException {
        HttpClient http = RealHomeAssistant.Http.CLIENT;
        String clientId = base + "/";
        JsonNode user = post(http, base + "/api/onboarding/users", "application/json", JSON.writeValueAsString(Map.of(
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
            socket.sendText(JSON.writeValueAsString(Map.of("type", "auth", "access_token", access)), true).join();
            frames.poll(30, TimeUnit.SECONDS);
            socket.sendText("{\"id\":1,\"type\":\"auth/long_lived_access_token\",\"client_name\":\"ha-diag-tests\",\"lifespan\":3650}", true).join();
            String reply = frames.poll(30, TimeUnit.SECONDS);
            if (reply == null) {
                throw new IOException("no answer to auth/long_lived_access_token");
            }
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

    private JsonNode request(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token.value()).header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = RealHomeAssistant.Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private int status(String path) {
        try {
            return RealHomeAssistant.Http.CLIENT.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A text field of a GET answer, or "" while HA cannot answer it. */
    private String field(String path, String name) {
        try {
            return request("GET", path, null).path(name).asText();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls every 250 ms; fails early, with HA's last log lines, when the container is no longer running. */
    private void waitFor(String what, Supplier<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(STARTUP).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (condition.get()) {
                    return true;
                }
                if (!container.isRunning()) {
                    throw new IllegalStateException("the Home Assistant container stopped while waiting for " + what + ":\n" + logTail());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("timed out after " + STARTUP + " waiting for " + what + ":\n" + logTail(), e);
        }
    }

    private String logTail() {
        List<String> lines = new ArrayList<>(container.getLogs().lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean runsInContainer() {
        return true;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AccessToken token() {
        return token;
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void stopHomeAssistant() {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
    }

    @Override
    public void killHomeAssistant() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void awaitHomeAssistantExited(Duration atMost) {
        Awaitility.await().atMost(atMost).until(() -> !Boolean.TRUE.equals(container.getDockerClient()
                .inspectContainerCmd(container.getContainerId()).exec().getState().getRunning()));
    }

    /** Starts the stopped container again and waits, as ha-dev.sh ha-start does, for RUNNING and the MQTT values. */
    @Override
    public void startHomeAssistant() {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        waitFor("core state RUNNING after a start", () -> "RUNNING".equals(field("/api/config", "state")));
        if (brokerRunning) {
            waitFor("update.garden_station_firmware to be on after a start",
                    () -> "on".equals(field("/api/states/update.garden_station_firmware", "state")));
        }
    }

    @Override
    public boolean controlsMqttBroker() {
        return true;
    }

    @Override
    public void stopMqttBroker() {
        broker.getDockerClient().stopContainerCmd(broker.getContainerId()).withTimeout(30).exec();
        brokerRunning = false;
    }

    /** Starts the broker container again and waits until it accepts connections, as ha-dev.sh mqtt-start does. */
    @Override
    public void startMqttBroker() {
        if (brokerRunning) {
            return;
        }
        broker.getDockerClient().startContainerCmd(broker.getContainerId()).exec();
        brokerRunning = true;
        waitFor("the MQTT broker to listen", () -> {
            try {
                return broker.execInContainer("/usr/bin/python3", "-c",
                        "import socket; socket.create_connection(('127.0.0.1', 1883), 1)").getExitCode() == 0;
            } catch (IOException | RuntimeException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    @Override
    public void close() {
        try {
            container.stop();
            broker.stop();
        } finally {
            network.close();
        }
    }

    @Override
    public String toString() {
        return "container Home Assistant " + version + " at " + url;
    }
}
