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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sudo ha-diag check} (emitting, as docs/operations.md presents it) on a host where the agent runs as
 * 10001:10001 and owns the events tree and the database's directory (deploy/DEPLOY.md, step 2): the agent runs as
 * UID 10001 here too ({@code setpriv}), the CLI as root, both the packaged jar, against a real Home Assistant. What
 * root creates must stay the agent's to write. Needs root and setpriv; skipped without them, except under CI=true.
 */
@ExtendWith(HomeAssistantExtension.class)
class RootCliBesideTheAgentIT {

    private static final int AGENT_UID = 10001;

    private final RealHomeAssistant ha;
    private final Path dir;
    private final Path jar;
    private final Path events;
    private final Path data;
    private final Path config;
    private final AgentProbe probe = new AgentProbe();
    private final List<Process> processes = new ArrayList<>();

    RootCliBesideTheAgentIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
        this.jar = dir.resolve("ha-diag.jar");
        this.events = dir.resolve("events");
        this.data = dir.resolve("data");
        this.config = dir.resolve("ha-diag-agent.yaml");
    }

    @BeforeEach
    void hostAsDeployMdSays() throws IOException {
        HostCommand.assumeAvailable(!"root".equals(System.getProperty("user.name")) ? "not root: the CLI must run as root here"
                : !HostCommand.onPath("setpriv") ? "setpriv is missing (util-linux): the agent runs as UID 10001 through it" : null);
        // The agent reads the jar and its YAML file from here; a temporary directory is root's alone (0700).
        Files.setAttribute(dir, "unix:mode", 0755);
        Files.copy(AgentProcess.JAR, jar);
        Files.writeString(config, AgentProcess.ON_DEMAND_CHECKS);
        for (Path owned : List.of(events, data)) {
            Files.createDirectory(owned);
            Files.setAttribute(owned, "unix:uid", AGENT_UID);
            Files.setAttribute(owned, "unix:gid", AGENT_UID);
        }
    }

    @AfterEach
    void stopAndRestoreHa() {
        processes.forEach(Process::destroyForcibly);
        ha.setInputBoolean("input_boolean.hallway_sensor_online", true);
        ha.setInputBoolean("input_boolean.kitchen_plug_online", true);
    }

    @Test
    void a_root_check_that_creates_the_days_directory_leaves_it_and_the_database_to_the_agent_which_goes_on_writing_there()
            throws Exception {
        probe.port(AgentProbe.freePort());
        Process agent = start(List.of("setpriv", "--reuid=" + AGENT_UID, "--regid=" + AGENT_UID, "--clear-groups"), "agent.log",
                "run", "--config", config.toString());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> probe.health().get("ws_connected").asBoolean());
        try (Stream<Path> entries = Files.list(events)) {
            assertThat(entries).as("the agent wrote nothing yet: root's check is what creates the day's directory").isEmpty();
        }

        ha.setInputBoolean("input_boolean.hallway_sensor_online", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.hallway_temperature", "unavailable"));
        Process check = start(List.of(), "check.log", "check", "unavailable_entities", "--config", config.toString());
        assertThat(check.waitFor(120, TimeUnit.SECONDS)).as("check ended").isTrue();
        String checkOutput = Files.readString(dir.resolve("check.log"), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(checkOutput).isEqualTo(1);
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("root's check wrote its event").hasSize(1);
        assertOwnedByTheAgent(events);
        assertOwnedByTheAgent(data);

        // The agent writes its next event into the directory root created, and stays healthy.
        ha.setInputBoolean("input_boolean.kitchen_plug_online", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.kitchen_plug_power", "unavailable"));
        assertThat(probe.http("POST", "/trigger/unavailable_entities").statusCode()).isEqualTo(200);
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).extracting(e -> e.payload().get("alert_key"))
                .as("the hallway alert root's check opened is the agent's too: only the kitchen plug is new")
                .containsOnlyOnce("ha_entity_unavailable_long:entity:sensor.hallway_temperature")
                .contains("ha_entity_unavailable_long:entity:sensor.kitchen_plug_power");
        assertThat(probe.health().get("status").asText()).isEqualTo("ok");
        assertOwnedByTheAgent(events);
        agent.destroy();
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8)).isZero();
        assertOwnedByTheAgent(data);
    }

    @Test
    void a_root_silence_add_refuses_a_missing_database_and_leaves_the_agents_own_to_the_agents_user() throws Exception {
        Path database = data.resolve("ha_diag.db");
        String[] add = {"silence", "add", "--db", database.toString(), "--match", "entity=sensor.garage_*", "--for", "2h"};
        Process refused = start(List.of(), "refused.log", add);
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("refused.log"), StandardCharsets.UTF_8)).contains("no agent database at " + database);
        assertThat(database).as("nothing created: a silence in a new file is one no agent sees").doesNotExist();

        // The agent's database, as the agent leaves it (an empty file is an empty SQLite database), then root's amendment.
        Files.createFile(database);
        Files.setAttribute(database, "unix:uid", AGENT_UID);
        Files.setAttribute(database, "unix:gid", AGENT_UID);
        Process asRoot = start(List.of(), "root.log", add);
        assertThat(asRoot.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(asRoot.exitValue()).as(Files.readString(dir.resolve("root.log"), StandardCharsets.UTF_8)).isZero();
        assertOwnedByTheAgent(data);

        Process asAgent = start(List.of("setpriv", "--reuid=" + AGENT_UID, "--regid=" + AGENT_UID, "--clear-groups"), "agent.log", add);
        assertThat(asAgent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(asAgent.exitValue()).as(Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8)).isZero();
        assertOwnedByTheAgent(data);
    }

    /** The packaged jar (copied where UID 10001 can read it), as the given launcher prefix runs it, its output in a log. */
    private Process start(List<String> prefix, String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        Map<String, String> env = new HashMap<>(AgentProcess.environment(ha, dir, "it-root-cli", config));
        env.put("HA_DIAG_EVENTS_DIR", events.toString());
        env.put("HA_DIAG_DB", data.resolve("ha_diag.db").toString());
        env.put("HA_DIAG_BIND", "127.0.0.1");
        env.put("HA_DIAG_PORT", String.valueOf(probe.port()));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void assertOwnedByTheAgent(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.toList()) {
                assertThat(Files.getAttribute(path, "unix:uid")).as(path + " owner").isEqualTo(AGENT_UID);
                assertThat(Files.getAttribute(path, "unix:gid")).as(path + " group").isEqualTo(AGENT_UID);
            }
        }
    }
}
