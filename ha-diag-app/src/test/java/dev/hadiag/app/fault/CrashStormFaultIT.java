package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.events.fs.FileSystemEventLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * The agent jar under {@code kill -9} during a storm of single-entity alerts from a synthetic HA (one alert
 * key per unavailable entity), then the storm healing under more kills: every file parses, no temp file is
 * listed, no alert key is opened twice, none is lost, and each one is resolved with its own correlation id.
 * Prints its figures for docs/reliability.md.
 */
class CrashStormFaultIT {

    static final int STORM = 3000;
    /** Kills among the openings and among the resolutions: files written since the last start, before the kill. */
    static final int[] KILLS_WHILE_OPENING = {1, 150, 700, 1100};
    static final int[] KILLS_WHILE_RESOLVING = {3, 600, 1400};
    // No storm guard: these tests measure the write path itself with thousands of events per run.
    static final String CONFIG = """
            location_tag: fault-lab
            alerts: { max_events_per_run: 1000000 }
            checks:
              heartbeat: { interval: 1h }
              unavailable_entities: { interval: 2s, threshold: 0s }
              system_health: { enabled: false }
              automation_failures: { enabled: false }
              updates_available: { enabled: false }
              recorder: { enabled: false }
              repairs: { enabled: false }
            """;

    @TempDir
    Path dir;
    SyntheticHomeAssistant ha;
    AgentProcess agent;
    Tmpfs tmpfs;

    @BeforeEach
    void start() throws IOException {
        ha = SyntheticHomeAssistant.scatteredStorm(STORM);
        // kill -9 is a process crash, not a power cut: the page cache survives it, so a tmpfs tests the same
        // thing as a disk, without two fsyncs per event file on a shared CI disk (about 3x faster here).
        Path home = dir;
        if (Tmpfs.canMount()) {
            tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), "256m");
            home = tmpfs.path();
        }
        agent = new AgentProcess(home, ha.url(), SyntheticHomeAssistant.TOKEN.value(), CONFIG, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        agent.close();
        ha.close();
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void kill_9_at_varied_moments_of_a_storm_loses_nothing_and_opens_no_key_twice() throws Exception {
        long t0 = System.nanoTime();
        int kills = 0;
        for (int after : KILLS_WHILE_OPENING) {
            killAfter(after);
            kills++;
        }
        Process last = agent.start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> agent.eventFiles() >= STORM);
        ha.heal();
        for (int after : KILLS_WHILE_RESOLVING) {
            last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            killAfter(after);
            kills++;
        }
        last = agent.start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> resolutions() >= STORM);
        last.destroy();
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;

        List<Event> listed = listed();
        Map<String, List<Event>> byKey = listed.stream()
                .collect(Collectors.groupingBy(e -> (String) e.payload().get("alert_key")));
        long duplicates = byKey.values().stream().mapToLong(events -> events.stream()
                .filter(e -> e.type().equals(EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).count() - 1).filter(n -> n > 0).sum();
        long secondIds = byKey.values().stream().filter(events -> events.stream().map(Event::correlationId).distinct().count() > 1).count();
        Set<String> expected = Stream.iterate(0, i -> i + 1).limit(STORM)
                .map(i -> "ha_entity_unavailable_long:entity:sensor.device" + i + "_0").collect(Collectors.toSet());
        long lost = expected.stream().filter(key -> !byKey.containsKey(key) || byKey.get(key).size() < 2).count();
        long files = agent.eventFiles();
        agent.logs().lines().filter(line -> line.contains("reconciled")).forEach(line -> System.out.println("crash storm: "
                + line.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1")));
        System.out.printf("crash storm: %d entities, %d kill -9, %d files, %d listed, %d duplicate openings, %d keys with a second id,"
                + " %d lost, %d temp files left, %.1f s%n", STORM, kills, files, listed.size(), duplicates, secondIds, lost,
                agent.tempFiles(), seconds);

        assertThat(files).as("every file on disk parses").isEqualTo(listed.size());
        assertThat(agent.tempFiles()).as("no temp file survives the last start's sweep").isZero();
        assertThat(byKey.keySet()).isEqualTo(expected);
        byKey.forEach((key, events) -> {
            assertThat(events).as(key).extracting(Event::type)
                    .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
            assertThat(events).as(key).extracting(Event::correlationId).containsOnly(events.get(0).correlationId());
        });
        assertThat(agent.logs()).doesNotContain(SyntheticHomeAssistant.TOKEN.value());
    }

    /** Starts the agent and kills it with SIGKILL once it has written {@code files} more event files. */
    private void killAfter(int files) throws Exception {
        long before = agent.eventFiles();
        Process process = agent.start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> agent.eventFiles() >= before + files || !process.isAlive());
        process.destroyForcibly(); // SIGKILL
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private long resolutions() throws IOException {
        if (!Files.isDirectory(agent.events())) {
            return 0;
        }
        try (Stream<Event> events = new FileSystemEventLog(agent.events()).find(EventQuery.all()
                .withTypes(Set.of(EventTypes.HA_ENTITY_RECOVERED)))) {
            return events.count();
        }
    }

    private List<Event> listed() {
        try (Stream<Event> events = new FileSystemEventLog(agent.events()).find(EventQuery.all())) {
            return events.toList();
        }
    }

    @Test
    void a_run_that_cannot_take_its_port_exits_1_having_run_no_check_and_written_no_event() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process process = agent.start(taken.getLocalPort());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
        }
        assertThat(agent.eventFiles()).isZero();
        assertThat(agent.logs()).contains("cannot start").doesNotContain("\"check\":\"unavailable_entities\"");
        assertThat(ha.statesRequests()).as("no check asked HA for its states").isZero();
    }
}
