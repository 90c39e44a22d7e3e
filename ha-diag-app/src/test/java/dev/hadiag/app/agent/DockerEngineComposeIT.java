package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/DEPLOY.md's compose line as a Debian host runs it: Debian's docker-compose 1.29.2 on Debian's Docker Engine
 * 20.10 (deploy/dev/docker-setup.sh starts one beside podman), whose build is Docker's classic builder, not BuildKit:
 * {@code up -d --build} builds deploy/Dockerfile, the container becomes healthy by Docker's own HEALTHCHECK schedule,
 * operations.md's {@code docker exec} trigger line runs as written, {@code down} removes it. The container keeps
 * the compose file's defaults (name ha-diag-agent, image ha-diag-agent:<version>: the engine is this test's own); only
 * the host directories and port are the test's. The base images are the stand-ins of deploy/dev/image.sh under their
 * upstream names (no registry is reachable). Skipped with the reason where no Docker Engine can start here (the
 * setup script says why); without its setup, skipped too, except under CI=true.
 */
class DockerEngineComposeIT {

    private static final Duration BUILD_LIMIT = Duration.ofMinutes(9);
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final Path root;
    private final Path configDir;
    private final AgentProbe probe = new AgentProbe();
    private final Map<String, String> env = new HashMap<>();
    private final List<Runnable> cleanups = new ArrayList<>();

    DockerEngineComposeIT(@TempDir Path root) {
        this.root = root;
        this.configDir = root.resolve("opt/homelab/config/ha-diag-agent");
    }

    @BeforeEach
    void requireADockerEngine() {
        String unavailable = System.getenv("HA_DIAG_DOCKER_UNAVAILABLE");
        Assumptions.assumeTrue(unavailable == null || unavailable.isBlank(), "no Docker Engine can start here: " + unavailable);
        String host = System.getenv("HA_DIAG_DOCKER_HOST");
        HostCommand.assumeAvailable(!"root".equals(System.getProperty("user.name")) ? "not root: DEPLOY.md's chown 10001:10001 needs root"
                : host == null || host.isBlank() ? "HA_DIAG_DOCKER_HOST is not set (eval the output of deploy/dev/docker-setup.sh)"
                : !Files.isExecutable(Path.of("/usr/bin/docker")) ? "Debian's docker CLI is missing (deploy/dev/docker-setup.sh)"
                : !Files.isExecutable(Path.of("/usr/bin/docker-compose")) ? "Debian's docker-compose is missing (deploy/dev/docker-setup.sh)"
                : null);
        // Debian's docker 20.10 first, as on a Debian host (a newer CLI may be earlier on this machine's PATH).
        env.put("PATH", "/usr/bin:" + System.getenv("PATH"));
        env.put("DOCKER_HOST", host);
        // What docker-compose 1.29 builds with anyway (its Python client knows no BuildKit): said, not assumed.
        env.put("DOCKER_BUILDKIT", "0");
    }

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    @Test
    void docker_compose_up_build_builds_with_the_classic_builder_comes_up_healthy_answers_the_documented_trigger_and_goes_down()
            throws Exception {
        bash(DeployDoc.underRoot(DeployDoc.asRoot("host-dirs"), root)).ok();
        Path dotEnv = configDir.resolve(".env");
        // No HA is needed: /health is the agent's liveness. Its HA_URL is the container's own loopback, where nothing listens.
        Files.writeString(dotEnv, Files.readString(dotEnv, StandardCharsets.UTF_8)
                .replaceFirst("(?m)^HA_URL=.*$", "HA_URL=http://127.0.0.1:8123")
                .replaceFirst("(?m)^HA_TOKEN=.*$", "HA_TOKEN=not-a-real-token")
                .replaceFirst("(?m)^NODE_NAME=.*$", "NODE_NAME=it-docker"), StandardCharsets.UTF_8);
        int port = AgentProbe.freePort();
        probe.port(port);
        env.put("HA_DIAG_CONFIG_DIR", configDir.toString());
        env.put("HA_DIAG_EVENTS_HOST_DIR", root.resolve("opt/homelab/events").toString());
        env.put("HA_DIAG_DATA_HOST_DIR", root.resolve("var/lib/ha-diag-agent").toString());
        env.put("HA_DIAG_HOST_PORT", String.valueOf(port));
        // What DEPLOY.md has chelsty-infra run: docker-compose (v1) for docker compose.
        String up = DeployDoc.block("compose-up").trim().replaceFirst("^docker compose ", "docker-compose ");
        assertThat(up).isEqualTo("docker-compose -f deploy/docker-compose.yml up -d --build");
        String down = up.replace(" up -d --build", " down");
        cleanups.add(() -> bash(down + " --timeout 0"));
        bash(down + " --timeout 0"); // a container left by an interrupted run

        HostCommand built = HostCommand.run(DeployDoc.REPO, env, BUILD_LIMIT, List.of("bash", "-euo", "pipefail", "-c", up));
        assertThat(built.exit()).as(built.output()).isZero();
        // The classic builder's own progress lines (BuildKit prints "#1 [internal] …" instead).
        assertThat(built.output()).as("built by Docker's classic builder").contains("Step 1/").doesNotContain("BuildKit");
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> docker("inspect", "--format", "{{.State.Health.Status}}", "ha-diag-agent").output().trim().equals("healthy"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not healthy: " + docker("inspect", "--format", "{{json .State.Health}}", "ha-diag-agent").output()
                    + "\nits log:\n" + docker("logs", "ha-diag-agent").output(), e);
        }
        assertThat(probe.health().get("status").asText()).isEqualTo("ok");
        assertThat(docker("port", "ha-diag-agent").ok().trim()).as("published on loopback only").isEqualTo("8087/tcp -> 127.0.0.1:" + port);
        assertThat(docker("inspect", "--format", "{{json .HostConfig.LogConfig}}", "ha-diag-agent").ok()).as("the log's cap")
                .contains("\"max-size\":\"10m\"", "\"max-file\":\"3\"");

        AgentContainerIT.assertTheDocumentedTriggerRuns(bash(DeployDoc.operationsBlock("docker-exec-trigger")));

        bash(down).ok();
        assertThat(docker("container", "inspect", "ha-diag-agent").exit()).as("container removed by down").isNotZero();
        assertThat(root.resolve("var/lib/ha-diag-agent/ha_diag.db")).exists();
        AgentContainerIT.assertOwnedByTheAgent(root.resolve("var/lib/ha-diag-agent"));
    }

    private HostCommand bash(String script) {
        return HostCommand.run(DeployDoc.REPO, env, LIMIT, List.of("bash", "-euo", "pipefail", "-c", script));
    }

    private HostCommand docker(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/docker"));
        command.addAll(List.of(args));
        return HostCommand.run(DeployDoc.REPO, env, LIMIT, command);
    }
}
