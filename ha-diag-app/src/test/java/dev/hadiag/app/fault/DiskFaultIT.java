package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.events.fs.FileSystemEventLog;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events directory on a tmpfs that fills up, then turns read-only, while a synthetic HA has a storm of
 * single-entity alerts: the agent keeps running and answering {@code /health}, never leaves a partial or
 * temp file for a reader, and once the disk is writable again writes every event it owes, each alert key
 * opened once and resolved with its own id.
 */
class DiskFaultIT {

    static final int STORM = 600;

    @TempDir
    Path dir;
    SyntheticHomeAssistant ha;
    AgentProcess agent;
    Tmpfs disk;

    @BeforeEach
    void start() throws IOException {
        Tmpfs.assumeCanMount();
        ha = SyntheticHomeAssistant.scatteredStorm(STORM);
        // The database stays on the real disk: this is the event sink's fault, not the store's.
        disk = Tmpfs.mount(dir.resolve("events"), "128k");
        agent = new AgentProcess(dir, ha.url(), SyntheticHomeAssistant.TOKEN.value(), CrashStormFaultIT.CONFIG, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (ha != null) {
            ha.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void a_full_then_read_only_events_disk_costs_no_event_and_no_partial_file() throws Exception {
        Process process = agent.start();
        // Full: 128 KiB hold a few dozen files, the storm needs hundreds.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.logs().contains("could not record what it found"));
        long whileFull = agent.eventFiles();
        assertThat(whileFull).isPositive().isLessThan(STORM);
        assertHealthyAndConsistent(process);
        int failedRunsFull = countFailures();

        disk.remount("size=32m");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> opened().size() >= STORM);

        disk.remount("ro");
        ha.heal();
        int failuresBefore = countFailures();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> countFailures() > failuresBefore);
        assertHealthyAndConsistent(process);
        int failedRunsReadOnly = countFailures() - failuresBefore;

        disk.remount("rw");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> resolved().size() >= STORM);
        // Writable again: /health is back to ok by itself (the storage probe runs every 10 s).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> agent.get("/health").statusCode() == 200);
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Event> listed = listed();
        Map<String, List<Event>> byKey = listed.stream().collect(Collectors.groupingBy(e -> (String) e.payload().get("alert_key")));
        System.out.printf("disk fault: %d alerts; full at %d files (%d failed runs), read-only (%d failed runs); %d files, %d listed,"
                + " %d keys, %d temp files%n", STORM, whileFull, failedRunsFull, failedRunsReadOnly, agent.eventFiles(), listed.size(),
                byKey.size(), agent.tempFiles());
        assertThat(agent.eventFiles()).isEqualTo(listed.size()).isEqualTo(2L * STORM);
        assertThat(agent.tempFiles()).isZero();
        assertThat(byKey).hasSize(STORM);
        byKey.forEach((key, events) -> {
            assertThat(events).as(key).extracting(Event::type)
                    .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
            assertThat(events).as(key).extracting(Event::correlationId).containsOnly(events.get(0).correlationId());
        });
        assertThat(agent.logs()).doesNotContain(SyntheticHomeAssistant.TOKEN.value());
    }

    private void assertHealthyAndConsistent(Process process) throws Exception {
        assertThat(process.isAlive()).isTrue();
        HttpResponse<String> health = agent.get("/health");
        // The agent answers; while event writes fail, /health says so (503 "failing", docs/operations.md).
        assertThat(health.statusCode()).isIn(200, 503);
        if (health.statusCode() == 503) {
            assertThat(health.body()).contains("\"status\":\"failing\"", "\"component\":\"events\"");
        }
        // A reader sees only whole events: every listed file parses, none is a temp file.
        assertThat(listed()).hasSize((int) agent.eventFiles());
    }

    private int countFailures() throws IOException {
        // The core's error line only; the agent's "check … could not run: …" line repeats it.
        return (int) agent.logs().lines().filter(line -> line.contains("could not record what it found") && !line.contains("could not run"))
                .count();
    }

    private List<Event> listed() {
        if (!Files.isDirectory(agent.events())) {
            return List.of();
        }
        try (Stream<Event> events = new FileSystemEventLog(agent.events()).find(EventQuery.all())) {
            return events.toList();
        }
    }

    private Set<String> opened() {
        return listed().stream().filter(e -> e.type().equals(EventTypes.HA_ENTITY_UNAVAILABLE_LONG))
                .map(e -> (String) e.payload().get("alert_key")).collect(Collectors.toSet());
    }

    private Set<String> resolved() {
        return listed().stream().filter(e -> e.type().equals(EventTypes.HA_ENTITY_RECOVERED))
                .map(e -> (String) e.payload().get("alert_key")).collect(Collectors.toSet());
    }
}
