package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's SQLite file damaged, too new, or locked by another process: a file it cannot use stops the
 * start (exit 1, the file named, nothing written, the file untouched); a lock held longer than the busy
 * timeout fails the runs meanwhile, the agent keeps running, and every event is written once the lock is gone.
 */
class StoreFaultIT {

    static final int ALERTS = 50;

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
    void a_corrupt_database_stops_the_start_naming_it_and_is_left_untouched() throws Exception {
        byte[] garbage = "not a database, only text that is long enough to look like one ".repeat(50).getBytes();
        Files.write(agent.database(), garbage);
        assertRefusedToStart("move it aside");
        assertThat(Files.readAllBytes(agent.database())).isEqualTo(garbage);
    }

    @Test
    void a_database_of_a_newer_version_stops_the_start_and_is_not_reset() throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + agent.database()); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE future (x)");
            s.execute("PRAGMA user_version = 99");
        }
        assertRefusedToStart("schema version 99");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + agent.database()); Statement s = raw.createStatement()) {
            assertThat(s.executeQuery("PRAGMA user_version").getInt(1)).isEqualTo(99);
        }
    }

    private void assertRefusedToStart(String why) throws Exception {
        Process process = agent.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(agent.logs()).contains(agent.database().toString()).contains(why);
        assertThat(agent.eventFiles()).isZero();
        assertThat(ha.statesRequests()).isZero();
    }

    @Test
    void a_database_locked_longer_than_the_busy_timeout_fails_runs_meanwhile_and_loses_no_event() throws Exception {
        agent.start();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> agent.written(EventTypes.HA_ENTITY_UNAVAILABLE_LONG).size() >= ALERTS);
        try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + agent.database()); Statement s = locker.createStatement()) {
            s.execute("PRAGMA busy_timeout = 30000");
            s.execute("BEGIN EXCLUSIVE");
            ha.heal();
            // Held until a run has failed on it: the lock, not a sleep, is the fault.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> agent.logs().contains("database is locked"));
            assertThat(health()).isEqualTo(200);
            assertThat(agent.written(EventTypes.HA_ENTITY_RECOVERED)).as("no event before its intent is recorded").isEmpty();
            s.execute("ROLLBACK");
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> agent.written(EventTypes.HA_ENTITY_RECOVERED).size() >= ALERTS);
        Map<String, List<Event>> byKey = agent.written().stream().collect(Collectors.groupingBy(e -> (String) e.payload().get("alert_key")));
        System.out.printf("store fault: database locked during the resolutions of %d alerts; %d keys, %d events%n", ALERTS, byKey.size(),
                agent.written().size());
        assertThat(byKey).hasSize(ALERTS).allSatisfy((key, events) -> {
            assertThat(events).as(key).extracting(Event::type)
                    .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
            assertThat(events).as(key).extracting(Event::correlationId).containsOnly(events.get(0).correlationId());
        });
    }

    private int health() throws Exception {
        return agent.get("/health").statusCode();
    }

}
