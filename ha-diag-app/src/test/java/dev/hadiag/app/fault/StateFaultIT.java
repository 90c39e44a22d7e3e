package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's state shared or taken away under it, with the jar as a process, real SQLite files and real
 * directories (issue 24): a second agent on the same database, the database deleted while the agent runs and the
 * agent started again on a new one, the events root deleted while it runs. Prints its figures for docs/reliability.md.
 */
class StateFaultIT {

    static final int ALERTS = 40;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SyntheticHomeAssistant ha;
    AgentProcess agent;

    @BeforeEach
    void start() throws IOException {
        ha = SyntheticHomeAssistant.scatteredStorm(ALERTS);
        agent = new AgentProcess(dir, ha.url(), SyntheticHomeAssistant.TOKEN.value(), CrashStormFaultIT.CONFIG, Map.of());
    }

    @AfterEach
    void stop() {
        agent.close();
        ha.close();
    }

    @Test
    void a_second_agent_on_the_same_database_exits_1_naming_the_holder_while_the_cli_works_beside_the_first() throws Exception {
        Process first = agent.start();
        int port = agent.port();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).size() >= ALERTS);

        Process second = agent.start();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        String refused = Files.readString(agent.log(1));
        System.out.printf("state fault: second agent refused: %s%n",
                refused.lines().filter(line -> line.contains("cannot start")).findFirst().orElse(refused.strip()));
        assertThat(refused).contains("is in use by another agent", "pid " + first.pid(), "on host " + InetAddress.getLocalHost().getHostName(),
                "started 20", agent.database() + ".lock");
        assertThat(first.isAlive()).isTrue();
        assertThat(agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("the second agent opened nothing").hasSize(ALERTS);

        AgentProcess.Cli added = agent.cli("silence", "add", "--match", "entity=sensor.none_*", "--for", "1h", "--json");
        assertThat(added.exitCode()).as(added.output()).isZero();
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(added.output());
        assertThat(id.find()).as(added.output()).isTrue();
        AgentProcess.Cli listed = agent.cli("silence", "list");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("sensor.none_*");
        AgentProcess.Cli expired = agent.cli("silence", "expire", id.group(1));
        assertThat(expired.exitCode()).as(expired.output()).isZero();
        AgentProcess.Cli events = agent.cli("events", "list", "--type", EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
        assertThat(events.exitCode()).as(events.output()).isZero();
        assertThat(events.output()).contains(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
        AgentProcess.Cli check = agent.cli("check", "--config", dir.resolve("ha-diag-agent.yaml").toString(), "unavailable_entities");
        assertThat(check.exitCode()).as(check.output()).isBetween(0, 2); // Nagios ok/warning/critical: it ran
        assertThat(check.output()).doesNotContain("in use by another agent");
        assertThat(health(port).statusCode()).isEqualTo(200);
    }

    @Test
    void the_database_deleted_while_running_fails_health_and_a_restart_adopts_the_open_alerts_under_their_ids() throws Exception {
        Process first = agent.start();
        int port = agent.port();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).size() >= ALERTS);
        Map<String, String> opened = idsByKey(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);

        long deletedAt = System.nanoTime();
        Files.delete(agent.database());
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> health(port).statusCode() == 503);
        long seenMillis = (System.nanoTime() - deletedAt) / 1_000_000;
        JsonNode problem = JSON.readTree(health(port).body()).get("problems").get(0);
        assertThat(problem.get("component").asText()).isEqualTo("store");
        assertThat(problem.get("reason").asText()).contains(agent.database().toString(), "was deleted while the agent runs");
        assertThat(AgentProcess.get(port, "/metrics").body()).contains("ha_diag_storage_ok{component=\"store\"} 0");
        assertThat(agent.logs()).contains("was deleted while the agent runs");

        first.destroy(); // SIGTERM: the clean stop of a service manager
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        agent.start();
        int restarted = agent.port();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> agent.logs().contains("adopted under their own"));
        // A run finished after the restart (a new database without the adoption opens every alert again on the first one).
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> lastRun(restarted).isPresent());
        String firstRun = lastRun(restarted).orElseThrow();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> lastRun(restarted).filter(run -> !run.equals(firstRun)).isPresent());
        System.out.printf("state fault: database deleted; /health 503 after %d ms (probe interval 10 s); after the restart %d openings"
                + " on disk for %d alerts%n", seenMillis, agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).size(), ALERTS);
        assertThat(agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("no alert opened again").hasSize(ALERTS);

        ha.heal();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.written(EventTypes.HA_ENTITY_RECOVERED).size() >= ALERTS);
        assertThat(idsByKey(EventTypes.HA_ENTITY_RECOVERED)).as("each resolved under the id it was opened with").isEqualTo(opened);
    }

    @Test
    void the_events_root_deleted_while_running_is_created_again_and_health_recovers_by_itself() throws Exception {
        agent.start();
        int port = agent.port();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).size() >= ALERTS);
        Map<String, String> opened = idsByKey(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);

        long deletedAt = System.nanoTime();
        deleteTree(agent.events());
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> agent.logs().contains("was missing"));
        long recreatedMillis = (System.nanoTime() - deletedAt) / 1_000_000;
        assertThat(agent.events()).isDirectory();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> health(port).statusCode() == 200);

        ha.heal();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.written(EventTypes.HA_ENTITY_RECOVERED).size() >= ALERTS);
        System.out.printf("state fault: events root deleted; created again after %d ms; %d resolutions written into it%n", recreatedMillis,
                agent.written(EventTypes.HA_ENTITY_RECOVERED).size());
        assertThat(idsByKey(EventTypes.HA_ENTITY_RECOVERED)).isEqualTo(opened);
        assertThat(health(port).statusCode()).isEqualTo(200);
    }

    /** When the last {@code unavailable_entities} run that finished started, as {@code /health} shows it. */
    private static java.util.Optional<String> lastRun(int port) throws Exception {
        HttpResponse<String> health = health(port);
        JsonNode run = JSON.readTree(health.body()).path("checks").path("unavailable_entities").path("started_at");
        return run.isTextual() ? java.util.Optional.of(run.asText()) : java.util.Optional.empty();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static HttpResponse<String> health(int port) throws Exception {
        return AgentProcess.get(port, "/health");
    }

    private Map<String, String> idsByKey(String type) {
        return agent.written(type).stream().collect(Collectors.toMap(e -> (String) e.payload().get("alert_key"), Event::correlationId));
    }

}
