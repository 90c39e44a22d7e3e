package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as an operator runs it: host directories prepared by the commands of deploy/DEPLOY.md
 * (run verbatim, only the paths moved under a temporary root), the documented env file, a real Home Assistant.
 * The image is the one deploy/dev/image.sh builds; .ci/run builds it before the Maven run. Without podman,
 * the image or root (chown 10001) these tests are skipped, except under CI=true, where that is a failure.
 */
@ExtendWith(HomeAssistantExtension.class)
class AgentContainerIT {

    private static final String IMAGE = System.getenv().getOrDefault("HA_DIAG_IMAGE", "localhost/ha-diag-agent:dev");
    private static final Path REPO = DeployDoc.REPO;
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(2);
    private static final int AGENT_UID = 10001;

    private final RealHomeAssistant ha;
    private final Path root;
    private final Path configDir;
    private final Path eventsDir;
    private final Path dataDir;
    private final AgentProbe probe = new AgentProbe();
    private final String name = "ha-diag-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Runnable> cleanups = new ArrayList<>();

    AgentContainerIT(RealHomeAssistant ha, @TempDir Path root) {
        this.ha = ha;
        this.root = root;
        this.configDir = root.resolve("opt/homelab/config/ha-diag-agent");
        this.eventsDir = root.resolve("opt/homelab/events");
        this.dataDir = root.resolve("var/lib/ha-diag-agent");
    }

    @BeforeEach
    void requireTheImage() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            missing = "not root: DEPLOY.md's chown 10001:10001 needs root";
        } else if (!HostCommand.onPath("podman")) {
            missing = "podman is not installed (deploy/dev/podman-setup.sh)";
        } else if (podman("image", "exists", IMAGE).exit() != 0) {
            missing = IMAGE + " is not built (deploy/dev/image.sh)";
        }
        HostCommand.assumeAvailable(missing);
    }

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
        ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
    }

    @Test
    void the_image_started_as_DEPLOY_md_says_is_healthy_writes_as_10001_stops_on_SIGTERM_with_0_and_resends_nothing_when_run_again_on_the_same_directories()
            throws Exception {
        prepareHostAsDeployMdSays();
        writeConfigFile();
        int port = AgentProbe.freePort();
        probe.port(port);
        String run = DeployDoc.block("docker-run")
                .replaceFirst("^docker run", "podman run")
                .replace("--name ha-diag-agent", "--name " + name)
                .replace("-e HA_DIAG_BIND=127.0.0.1", "-e HA_DIAG_BIND=127.0.0.1 -e HA_DIAG_PORT=" + port)
                .replace(" ha-diag-agent:latest", " " + IMAGE);
        cleanups.add(() -> podman("rm", "--force", "--time", "0", name));
        bash(underRoot(run)).ok();

        awaitAgent(() -> probe.health().get("ws_connected").asBoolean());
        assertThat(probe.health().get("status").asText()).isEqualTo("ok");
        assertThat(podman("healthcheck", "run", name).exit()).as("the image's HEALTHCHECK").isZero();

        ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.hallway_temperature", "unavailable"));
        assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
        List<Event> raised = AgentProbe.written(eventsDir, EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
        assertThat(raised).extracting(e -> e.payload().get("alert_key"))
                .containsExactly("ha_entity_unavailable_long:entity:sensor.hallway_temperature");
        assertOwnedByTheAgent(eventsDir);
        assertThat(dataDir.resolve("ha_diag.db")).exists();
        assertOwnedByTheAgent(dataDir);

        Duration grace = DeployDoc.composeStopGracePeriod();
        long started = System.nanoTime();
        podman("stop", "--time", String.valueOf(grace.toSeconds()), name).ok();
        Duration stopping = Duration.ofNanos(System.nanoTime() - started);
        assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).ok().trim()).as("exit code after SIGTERM").isEqualTo("0");
        assertThat(stopping).as("stop time").isLessThan(grace);

        // A new container on the same host directories: the alert is open in the database, so no second event.
        podman("rm", name).ok();
        bash(underRoot(run)).ok();
        awaitAgent(() -> probe.health().get("ws_connected").asBoolean());
        assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
        assertThat(AgentProbe.written(eventsDir, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);

        podman("stop", "--time", String.valueOf(grace.toSeconds()), name).ok();
        probe.assertTokenNowhere(ha.token().value(), eventsDir, List.of(podman("logs", name).ok()));
    }

    @Test
    void docker_compose_1_29_through_the_podman_socket_brings_the_agent_up_healthy_on_loopback_only_and_down() throws Exception {
        String socket = System.getenv().getOrDefault("DOCKER_HOST", "unix:///run/podman/podman.sock");
        String missing = !HostCommand.onPath("docker-compose") ? "docker-compose is not installed (deploy/dev/podman-setup.sh)"
                : !Files.exists(Path.of(socket.replaceFirst("^unix://", ""))) ? "no podman API socket at " + socket : null;
        HostCommand.assumeAvailable(missing);
        prepareHostAsDeployMdSays();
        int port = AgentProbe.freePort();
        probe.port(port);
        String project = name.replace("-", "");
        // Given to docker-compose explicitly: the Maven JVM may run without DOCKER_HOST (the HA extension prefers a local HA anyway).
        Map<String, String> env = Map.of("DOCKER_HOST", socket,
                "HA_DIAG_IMAGE", IMAGE, "HA_DIAG_CONTAINER", name, "HA_DIAG_HOST_PORT", String.valueOf(port),
                "HA_DIAG_CONFIG_DIR", configDir.toString(), "HA_DIAG_EVENTS_HOST_DIR", eventsDir.toString(),
                "HA_DIAG_DATA_HOST_DIR", dataDir.toString());
        List<String> compose = List.of("docker-compose", "-p", project, "-f", "deploy/docker-compose.yml");
        cleanups.add(() -> HostCommand.run(REPO, env, COMMAND_LIMIT, concat(compose, "down", "--volumes", "--timeout", "0")));

        // DEPLOY.md's pre-deploy check, as written but for the project name: the image reads the .env and the YAML file.
        writeConfigFile();
        String check = DeployDoc.block("config-check-compose").trim();
        assertThat(check).startsWith("docker compose -f deploy/docker-compose.yml ");
        HostCommand checked = HostCommand.run(REPO, env, COMMAND_LIMIT, concat(compose,
                check.replaceFirst("^docker compose -f deploy/docker-compose.yml ", "").split(" ")));
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).containsPattern("(?m)^ha_url +" + java.util.regex.Pattern.quote(ha.url()) + " +env HA_URL$")
                .containsPattern("(?m)^checks\\.heartbeat\\.interval +1h +/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml:\\d+$")
                .contains("config check: valid: ").doesNotContain(ha.token().value());
        HostCommand.run(REPO, env, COMMAND_LIMIT, concat(compose, "up", "-d")).ok();
        // Over the compose network the agent does not reach the test HA (it listens on the host's loopback):
        // /health is the agent's liveness and answers 200 all the same.
        awaitAgent(() -> probe.health().get("status").asText().equals("ok"));
        assertThat(podman("port", name).ok().trim()).as("published on loopback only").isEqualTo("8087/tcp -> 127.0.0.1:" + port);
        assertThat(podman("inspect", "--format", "{{.HostConfig.LogConfig.Size}}", name).ok().trim()).as("the log's cap").isEqualTo("10MB");
        // DEPLOY.md's publishing on the host's Tailscale address: the file publishes on the address the variable names
        // (rendered by compose itself; the tests reach no address but loopback).
        String publish = DeployDoc.block("compose-publish").trim();
        java.util.regex.Matcher address = java.util.regex.Pattern.compile("^HA_DIAG_PUBLISH_ADDRESS=(\\S+) docker compose -f deploy/docker-compose.yml up -d$")
                .matcher(publish);
        assertThat(address.matches()).as(publish).isTrue();
        Map<String, String> published = new java.util.HashMap<>(env);
        published.put("HA_DIAG_PUBLISH_ADDRESS", address.group(1));
        assertThat(HostCommand.run(REPO, published, COMMAND_LIMIT, concat(compose, "config")).ok())
                .contains(address.group(1) + ":" + port + ":8087");
        // No systemd here, so podman runs no healthcheck timer: run it once, then compose must see the result.
        assertThat(podman("healthcheck", "run", name).exit()).as("the image's HEALTHCHECK").isZero();
        assertThat(HostCommand.run(REPO, env, COMMAND_LIMIT, concat(compose, "ps")).ok()).contains("(healthy)");
        assertTheDocumentedTriggerRuns(bash(DeployDoc.operationsBlock("docker-exec-trigger")
                .replaceFirst("^docker exec ha-diag-agent ", Matcher.quoteReplacement("podman exec " + name + " "))));

        Duration grace = DeployDoc.composeStopGracePeriod();
        long started = System.nanoTime();
        HostCommand.run(REPO, env, grace.plusSeconds(30), concat(compose, "stop")).ok();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("compose stop").isLessThan(grace);
        assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).ok().trim()).as("exit code after SIGTERM").isEqualTo("0");
        assertThat(dataDir.resolve("ha_diag.db")).exists();
        assertOwnedByTheAgent(dataDir);

        HostCommand.run(REPO, env, COMMAND_LIMIT, concat(compose, "down", "--volumes")).ok();
        assertThat(podman("container", "exists", name).exit()).as("container removed by down").isEqualTo(1);
    }

    /**
     * operations.md's {@code docker exec … --trigger heartbeat}: the image's own CLI reaches /trigger on the container's
     * loopback. The agent in the compose network cannot reach the test HA (on the host's loopback), so the fresh
     * heartbeat it prints is critical: proof that it ran now, not the latest result of a scheduled run.
     */
    static void assertTheDocumentedTriggerRuns(HostCommand trigger) {
        assertThat(trigger.exit()).as(trigger.output()).isEqualTo(2);
        assertThat(trigger.output()).startsWith("HA-DIAG CRITICAL - 1 check, ")
                .containsPattern("(?m)^  heartbeat  error +\\S");
    }

    /** Waits for the agent in the container; a timeout shows the container's log (why it did not start). */
    private void awaitAgent(Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the agent in " + name + " did not get there; its log:\n" + podman("logs", name).output(), e);
        }
    }

    /** Step 2 of DEPLOY.md, verbatim but for the paths; the edit of the .env file is what sudoedit would do. */
    private void prepareHostAsDeployMdSays() throws IOException {
        bash(underRoot(DeployDoc.asRoot("host-dirs"))).ok();
        Path env = configDir.resolve(".env");
        assertThat(Files.getPosixFilePermissions(env)).hasSize(2); // 0600: the token is in it
        String edited = Files.readString(env, StandardCharsets.UTF_8)
                .replaceFirst("(?m)^HA_URL=.*$", Matcher.quoteReplacement("HA_URL=" + ha.url()))
                .replaceFirst("(?m)^HA_TOKEN=.*$", Matcher.quoteReplacement("HA_TOKEN=" + ha.token().value()))
                .replaceFirst("(?m)^NODE_NAME=.*$", "NODE_NAME=it-container");
        Files.writeString(env, edited, StandardCharsets.UTF_8);
    }

    /** The optional YAML file of the config directory: checks on demand only, the hallway sensor alerting at once. */
    private void writeConfigFile() throws IOException {
        Files.writeString(configDir.resolve("ha-diag-agent.yaml"), AgentProcess.ON_DEMAND_CHECKS);
    }

    /** DEPLOY.md's host paths, moved under the test's root; paths inside the container (after ':') stay. */
    private String underRoot(String commands) {
        return DeployDoc.underRoot(commands, root);
    }

    static void assertOwnedByTheAgent(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                assertThat(Files.getAttribute(path, "unix:uid")).as(path.toString()).isEqualTo(AGENT_UID);
                assertThat(Files.getAttribute(path, "unix:gid")).as(path.toString()).isEqualTo(AGENT_UID);
            }
        }
    }

    private static HostCommand bash(String script) {
        return HostCommand.run(REPO, Map.of(), COMMAND_LIMIT, List.of("bash", "-euo", "pipefail", "-c", script));
    }

    private static HostCommand podman(String... args) {
        return HostCommand.run(REPO, Map.of(), COMMAND_LIMIT, concat(List.of("podman"), args));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
