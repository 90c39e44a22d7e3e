package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.app.relay.MosquittoBroker;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/DEPLOY.md's two fleet snippets ("The fleet view") as written: the systemd unit through systemd-analyze and under
 * systemd on the Debian "host" container (deploy/dev/systemd-host.Containerfile), installed beside the agent's jar and
 * launcher by DEPLOY.md's own install lines, reading a real mosquitto and a real relay on the host's loopback; and the
 * compose service through docker-compose on the podman socket, with the image of deploy/dev/image.sh. No Home Assistant.
 * Each is skipped with the reason where its tools are missing, as the agent's deploy tests are.
 */
class FleetDeployIT {

    private static final Path REPO = DeployDoc.REPO;
    private static final String IMAGE = System.getenv().getOrDefault("HA_DIAG_IMAGE", "localhost/ha-diag-agent:dev");
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name = "ha-diag-fleet-it-" + UUID.randomUUID().toString().substring(0, 8);
    private SystemdHost host;
    private final List<AutoCloseable> cleanups = new ArrayList<>();

    @TempDir
    Path root;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).close();
        }
    }

    @Test
    void the_fleet_unit_as_DEPLOY_md_writes_it_passes_systemd_analyze_verify() throws Exception {
        HostCommand.assumeAvailable(HostCommand.onPath("systemd-analyze") ? null : "systemd-analyze is missing (apt-get install systemd)");
        Path unit = root.resolve("ha-diag-fleet.service");
        Files.writeString(unit, DeployDoc.fenced("fleet-systemd", "ini"), StandardCharsets.UTF_8);
        HostCommand verify = HostCommand.run(root, LIMIT, "systemd-analyze", "verify", unit.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).as("warnings").isBlank();
    }

    @Test
    void the_fleet_unit_as_DEPLOY_md_writes_it_is_hardened_as_the_agent_s_to_an_exposure_of_2_or_less() throws Exception {
        HostCommand.assumeAvailable(HostCommand.onPath("systemd-analyze") ? null : "systemd-analyze is missing (apt-get install systemd)");
        Path unit = root.resolve("ha-diag-fleet.service");
        Files.writeString(unit, DeployDoc.fenced("fleet-systemd", "ini"), StandardCharsets.UTF_8);
        String report = HostCommand.run(root, LIMIT, "systemd-analyze", "security", "--offline=yes", "--no-pager", unit.toString()).ok();
        Matcher level = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(report);
        assertThat(level.find()).as(report).isTrue();
        assertThat(Double.parseDouble(level.group(1))).as(report).isLessThanOrEqualTo(2.0);
    }

    @Test
    void under_systemd_the_fleet_unit_serves_on_8089_the_node_a_relay_publishes_and_stops_with_0() throws Exception {
        SystemdHost.assumeAvailable();
        assertThat(REPO.resolve("ha-diag-app/target/ha-diag.jar")).as("the packaged jar (failsafe runs after package)").exists();
        MosquittoBroker broker = MosquittoBroker.start(root, AgentProcess.freePort());
        cleanups.add(broker);
        startRelay(broker, "node-systemd");

        Path it = Files.createDirectories(root.resolve("it"));
        Files.writeString(it.resolve("ha-diag-fleet.service"), DeployDoc.fenced("fleet-systemd", "ini"), StandardCharsets.UTF_8);
        Files.writeString(it.resolve(".env"), "HA_DIAG_MQTT_URL=mqtt://127.0.0.1:" + broker.port + "\nNODE_NAME=fleet-systemd-it\n",
                StandardCharsets.UTF_8);
        // Host networking: the fleet reaches the test's broker on 127.0.0.1, and the test reaches the unit's 8089.
        host = SystemdHost.start(name, it + ":/it:ro");
        cleanups.add(host);
        // The agent's install lines (the user, the jar, the launcher and its env file), as root; not its unit, its
        // enable, nor the class-data archive (the launcher runs without it): "beside the agent's unit, same jar and launcher".
        String install = DeployDoc.asRoot("systemd").lines()
                .filter(line -> !line.contains("ha-diag-agent.service") && !line.contains("enable --now") && !line.equals("/opt/ha-diag/ha-diag-cds"))
                .reduce("", (a, b) -> a + b + "\n");
        exec("bash", "-euo", "pipefail", "-c", install
                + "mkdir -p /opt/homelab/config/ha-diag-fleet /opt/homelab/events && chown 10001:10001 /opt/homelab/events\n"
                + "install -m 0600 /it/.env /opt/homelab/config/ha-diag-fleet/.env\n"
                + "install -m 0644 /it/ha-diag-fleet.service /etc/systemd/system/\n"
                + "systemctl daemon-reload && systemctl enable --now ha-diag-fleet\n").ok();

        JsonNode view = awaitFleet(() -> {
            JsonNode fleet = JSON.readTree(get("http://127.0.0.1:8089/fleet"));
            return fleet.path("live").asBoolean() && fleet.path("nodes").size() == 1
                    && fleet.path("nodes").get(0).path("presence").asText().equals("online") ? fleet : null;
        });
        assertThat(view.path("node").asText()).as("NODE_NAME from the unit's .env").isEqualTo("fleet-systemd-it");
        JsonNode node = view.path("nodes").get(0);
        assertThat(node.path("node").asText()).isEqualTo("node-systemd");
        assertThat(node.path("alerts").get(0).path("alert_key").asText()).isEqualTo("ha_integration_failed:integration:zha");
        assertThat(exec("systemctl", "show", "-p", "User", "--value", "ha-diag-fleet").ok().trim()).isEqualTo("ha-diag");

        exec("systemctl", "stop", "ha-diag-fleet").ok();
        assertThat(exec("systemctl", "show", "-p", "ExecMainStatus", "-p", "Result", "ha-diag-fleet").ok())
                .contains("ExecMainStatus=0").contains("Result=success");
    }

    @Test
    void the_fleet_compose_service_as_DEPLOY_md_writes_it_answers_on_its_published_port_and_the_image_healthcheck_passes() throws Exception {
        String socket = System.getenv().getOrDefault("DOCKER_HOST", "unix:///run/podman/podman.sock");
        HostCommand.assumeAvailable(!"root".equals(System.getProperty("user.name")) ? "not root (the events directory is chowned to 10001)"
                : !HostCommand.onPath("podman") ? "podman is not installed (deploy/dev/podman-setup.sh)"
                : !HostCommand.onPath("docker-compose") ? "docker-compose is not installed (deploy/dev/podman-setup.sh)"
                : HostCommand.run(root, Duration.ofSeconds(10), "curl", "-fsS", "--max-time", "2", "--unix-socket", socket.replaceFirst("^unix://", ""),
                        "http://d/_ping").exit() != 0 ? "nothing answers on the podman API socket " + socket + " (deploy/dev/podman-setup.sh starts it)"
                : podman("image", "exists", IMAGE).exit() != 0 ? IMAGE + " is not built (deploy/dev/image.sh)" : null);
        int port = AgentProcess.freePort();
        // As written, but for the image (this test's build), the container's name and the host port (free ones), and the
        // host paths moved under the test's directory.
        String service = DeployDoc.fenced("fleet-compose", "yaml");
        assertThat(service).contains("image: ha-diag-agent:", "container_name: ha-diag-fleet\n", "\"127.0.0.1:8089:8087\"");
        String compose = DeployDoc.underRoot(service, root)
                .replaceFirst("image: ha-diag-agent:\\S+", Matcher.quoteReplacement("image: " + IMAGE))
                .replace("container_name: ha-diag-fleet\n", "container_name: " + name + "\n")
                .replace("\"127.0.0.1:8089:8087\"", "\"127.0.0.1:" + port + ":8087\"");
        Path file = root.resolve("fleet-compose.yml");
        Files.writeString(file, compose, StandardCharsets.UTF_8);
        Path events = Files.createDirectories(root.resolve("opt/homelab/events"));
        HostCommand.run(root, LIMIT, "chown", "10001:10001", events.toString()).ok();
        Path env = Files.createDirectories(root.resolve("opt/homelab/config/ha-diag-fleet")).resolve(".env");
        // No broker is reachable from the compose network (the tests use loopback only): the fleet serves and says so.
        Files.writeString(env, "HA_DIAG_MQTT_URL=mqtt://127.0.0.1:1883\nNODE_NAME=fleet-compose-it\n", StandardCharsets.UTF_8);
        Map<String, String> engine = Map.of("DOCKER_HOST", socket);
        List<String> command = List.of("docker-compose", "-p", name.replace("-", ""), "-f", file.toString());
        cleanups.add(() -> HostCommand.run(root, engine, LIMIT, concat(command, "down", "--timeout", "0")));
        HostCommand up = HostCommand.run(root, engine, LIMIT, concat(command, "up", "-d"));
        assertThat(up.exit()).as(up.output()).isZero();

        JsonNode health = awaitFleet(() -> JSON.readTree(get("http://127.0.0.1:" + port + "/health")));
        assertThat(health.path("node").asText()).as("NODE_NAME from the service's env_file").isEqualTo("fleet-compose-it");
        assertThat(health.path("broker").asText()).isEqualTo("127.0.0.1:1883 homelab");
        assertThat(health.path("broker_live").asBoolean()).isFalse();
        assertThat(JSON.readTree(get("http://127.0.0.1:" + port + "/fleet")).path("nodes").isArray()).isTrue();
        assertThat(podman("healthcheck", "run", name).exit()).as("the image's HEALTHCHECK (/health on 8087), within the fleet's 30 s")
                .isZero();
        HostCommand down = HostCommand.run(root, engine, LIMIT, concat(command, "down"));
        assertThat(down.exit()).as(down.output()).isZero();
    }

    private void startRelay(MosquittoBroker broker, String node) throws Exception {
        Path events = root.resolve("events-" + node);
        FileSystemEventSink.open(events).emit(Event.of(Instant.now().minusSeconds(60), node, "ha_integration_failed", Severity.ERROR,
                "ha-diag-agent", "homeassistant", "c-zha", Map.of("alert_key", "ha_integration_failed:integration:zha", "summary", "zha failed")));
        AgentProcess relay = AgentProcess.start(root.resolve("run-" + node), List.of("-Xmx64m"),
                Map.of("NODE_NAME", node, "HA_DIAG_MQTT_HEARTBEAT_INTERVAL", "2s"), "relay", "--events-dir", events.toString(),
                "--state", root.resolve("relay-" + node + ".db").toString(), "--mqtt-url", "mqtt://127.0.0.1:" + broker.port);
        cleanups.add(relay::kill);
    }

    private JsonNode awaitFleet(java.util.concurrent.Callable<JsonNode> view) {
        try {
            return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(view, v -> v != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the fleet did not get there; " + (podman("container", "exists", name).exit() == 0
                    ? "its journal or log:\n" + (host != null ? exec("journalctl", "-u", "ha-diag-fleet", "--no-pager").output() : "")
                            + podman("logs", name).output()
                    : ""), e);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private HostCommand exec(String... command) {
        return host.exec(command);
    }

    private static HostCommand podman(String... args) {
        return SystemdHost.podman(args);
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }
}
