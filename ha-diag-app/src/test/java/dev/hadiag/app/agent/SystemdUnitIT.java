package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ha-diag-agent.service as systemd reads it (systemd-analyze), and as systemd runs it: on a Debian
 * "host" container with systemd as PID 1 (podman --systemd=always; deploy/dev/systemd-host.Containerfile,
 * built by deploy/dev/image.sh), installed by DEPLOY.md's commands, against a real Home Assistant.
 * Skipped when something is missing, except under CI=true.
 */
@ExtendWith(HomeAssistantExtension.class)
class SystemdUnitIT {

    private static final Path REPO = DeployDoc.REPO;
    private static final String UNIT = "deploy/ha-diag-agent.service";
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final String name = "ha-diag-systemd-it-" + UUID.randomUUID().toString().substring(0, 8);
    private SystemdHost host;
    private final List<Runnable> cleanups = new ArrayList<>();
    private final AgentProbe probe = new AgentProbe();

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    private static void requireSystemdAnalyze() {
        HostCommand.assumeAvailable(HostCommand.onPath("systemd-analyze") ? null : "systemd-analyze is missing (apt-get install systemd)");
    }

    @Test
    void the_unit_passes_systemd_analyze_verify() {
        requireSystemdAnalyze();
        HostCommand verify = HostCommand.run(REPO, LIMIT, "systemd-analyze", "verify", UNIT);
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).as("warnings").isBlank();
    }

    @Test
    void the_unit_is_hardened_to_an_exposure_of_2_or_less() {
        requireSystemdAnalyze();
        String report = HostCommand.run(REPO, LIMIT, "systemd-analyze", "security", "--offline=yes", "--no-pager", UNIT).ok();
        Matcher level = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(report);
        assertThat(level.find()).as(report).isTrue();
        assertThat(Double.parseDouble(level.group(1))).as(report).isLessThanOrEqualTo(2.0);
    }

    @Test
    void under_systemd_the_unit_runs_as_10001_writes_events_and_its_database_stops_with_0_resends_nothing_and_a_config_error_is_not_restarted(
            RealHomeAssistant ha, @TempDir Path root) throws Exception {
        SystemdHost.assumeAvailable();
        Path jar = REPO.resolve("ha-diag-app/target/ha-diag.jar");
        assertThat(jar).as("the packaged jar (failsafe runs after package)").exists();
        // The "host": its /opt/homelab and /var/lib/ha-diag-agent are directories of the test, so the test
        // reads the events and checks owners; host networking, so it reaches the test HA on 127.0.0.1.
        Path homelab = Files.createDirectories(root.resolve("homelab"));
        Path state = Files.createDirectories(root.resolve("state"));
        host = SystemdHost.start(name, homelab + ":/opt/homelab", state + ":/var/lib/ha-diag-agent");
        cleanups.add(host::close);

        // DEPLOY.md step 2 and the systemd block, verbatim (as root, so without sudo).
        exec("bash", "-euo", "pipefail", "-c", DeployDoc.asRoot("host-dirs")).ok();
        int port = AgentProbe.freePort();
        probe.port(port);
        Path env = root.resolve(".env");
        Files.writeString(env, exec("cat", "/opt/homelab/config/ha-diag-agent/.env").ok()
                .replaceFirst("(?m)^HA_URL=.*$", Matcher.quoteReplacement("HA_URL=" + ha.url()))
                .replaceFirst("(?m)^HA_TOKEN=.*$", Matcher.quoteReplacement("HA_TOKEN=" + ha.token().value()))
                + "HA_DIAG_PORT=" + port + "\n", StandardCharsets.UTF_8);
        Files.copy(env, homelab.resolve("config/ha-diag-agent/.env"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path yaml = homelab.resolve("config/ha-diag-agent/ha-diag-agent.yaml");
        Files.writeString(yaml, AgentProcess.ON_DEMAND_CHECKS);
        // DEPLOY.md's pre-deploy check, verbatim as root, before the install: the .env, the unit's paths, the YAML file.
        HostCommand checked = exec("bash", "-euo", "pipefail", "-c", DeployDoc.asRoot("config-check-host"));
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).containsPattern("(?m)^ha_url +" + Pattern.quote(ha.url()) + " +env HA_URL$")
                .containsPattern("(?m)^db_path +/var/lib/ha-diag-agent/ha_diag.db +env HA_DIAG_DB$")
                .containsPattern("(?m)^checks\\.heartbeat\\.interval +1h +/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml:\\d+$")
                .contains("config check: valid: ").doesNotContain(ha.token().value());
        exec("bash", "-euo", "pipefail", "-c", DeployDoc.asRoot("systemd")).ok();

        awaitAgent(() -> probe.health().get("ws_connected").asBoolean());
        assertThat(exec("systemctl", "show", "-p", "User", "ha-diag-agent").ok()).contains("User=ha-diag");
        assertThat(exec("id", "-u", "ha-diag").ok().trim()).isEqualTo("10001");
        Path events = homelab.resolve("events");
        try {
            ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
            await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.hallway_temperature", "unavailable"));
            assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
            assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).hasSize(1);
            // The operator's CLI, as root with none of the unit's environment (issue 26): the launcher finds the
            // agent's database and events through /opt/ha-diag/ha-diag.env, and the agent acts on the silence.
            exec("/opt/ha-diag/ha-diag", "silence", "add", "--match", "entity=sensor.ha_diag_it_nothing", "--for", "1h",
                    "--comment", "from the host's shell").ok();
            await().atMost(Duration.ofSeconds(15)).until(() -> !AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_STARTED).isEmpty());
            assertThat(exec("/opt/ha-diag/ha-diag", "silence", "list").ok()).contains("from the host's shell");
            assertThat(exec("/opt/ha-diag/ha-diag", "events", "list", "--type", EventTypes.HA_DIAG_SILENCE_STARTED).ok())
                    .contains(EventTypes.HA_DIAG_SILENCE_STARTED);
            assertThat(exec("find", "/opt/homelab/events", "/var/lib/ha-diag-agent", "-mindepth", "1", "(", "!", "-user", "10001",
                    "-o", "!", "-group", "10001", ")").ok()).as("files not owned by 10001:10001").isBlank();
            assertThat(state.resolve("ha_diag.db")).as("the database in the StateDirectory").exists();

            Duration timeoutStop = unitTimeoutStop();
            long started = System.nanoTime();
            exec("systemctl", "stop", "ha-diag-agent").ok();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stop time").isLessThan(timeoutStop);
            assertThat(exec("systemctl", "show", "-p", "ExecMainStatus", "-p", "Result", "ha-diag-agent").ok())
                    .contains("ExecMainStatus=0").contains("Result=success");

            exec("systemctl", "start", "ha-diag-agent").ok();
            awaitAgent(() -> probe.health().get("ws_connected").asBoolean());
            assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
            assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("no duplicate after a restart").hasSize(1);
        } finally {
            ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
        }

        // A configuration error: exit 2, and systemd does not restart it (RestartSec is 10 s: watch for 12).
        Files.writeString(yaml, "checks:\n  heartbeat: { interval: soon }\n");
        exec("systemctl", "restart", "ha-diag-agent");
        awaitAgent(() -> exec("systemctl", "show", "-p", "ExecMainStatus", "--value", "ha-diag-agent").output().trim().equals("2"));
        await("not restarted after exit 2 (RestartPreventExitStatus)").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(() -> exec("systemctl", "show", "-p", "NRestarts",
                "-p", "ActiveState", "ha-diag-agent").output().contains("NRestarts=0"));
        assertThat(exec("systemctl", "is-active", "ha-diag-agent").output().trim()).isEqualTo("failed");
        String journal = exec("journalctl", "-u", "ha-diag-agent", "--no-pager").ok();
        assertThat(journal).contains("checks.heartbeat.interval").contains("'soon' is not a positive duration");
        probe.assertTokenNowhere(ha.token().value(), events, List.of(journal));
    }

    private static Duration unitTimeoutStop() throws IOException {
        Matcher m = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(Files.readString(REPO.resolve(UNIT), StandardCharsets.UTF_8));
        assertThat(m.find()).as("TimeoutStopSec in seconds").isTrue();
        return Duration.ofSeconds(Long.parseLong(m.group(1)));
    }

    private void awaitAgent(Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the unit did not get there; its journal:\n"
                    + exec("journalctl", "-u", "ha-diag-agent", "--no-pager").output(), e);
        }
    }

    private HostCommand exec(String... command) {
        return host.exec(command);
    }

    private static HostCommand podman(String... args) {
        return SystemdHost.podman(args);
    }
}
