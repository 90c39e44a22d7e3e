package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of the events tree: events.md's prune lines through the launcher, and an agent with events.retention. */
class EventsRetentionJarIT {

    private static final Duration LIMIT = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    /** A day directory with one event file of that day, modified then, as a writer leaves it. */
    private Path day(Path events, LocalDate day, String node) throws IOException {
        Path file = Files.createDirectories(events.resolve(day.toString()).resolve(node))
                .resolve(day.toString().replace("-", "") + "T120000.000Z_ha_websocket_dead_" + java.util.UUID.randomUUID() + ".json");
        Files.writeString(file, "{}");
        Files.setLastModifiedTime(file, FileTime.from(day.atTime(12, 0).toInstant(ZoneOffset.UTC)));
        return events.resolve(day.toString());
    }

    @Test
    void the_documented_prune_lines_say_what_would_go_then_remove_whole_old_days_only() throws Exception {
        Path events = dir.resolve("events");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path old = day(events, today.minusDays(120), "piha");
        Path foreign = day(events, today.minusDays(100), "nas");
        Files.writeString(foreign.resolve("nas/README.txt"), "another tool's notes");
        Path recent = day(events, today.minusDays(10), "piha");
        Map<String, String> env = Map.of("PATH", DeployDoc.REPO.resolve("bin") + ":" + System.getenv("PATH"),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "HA_DIAG_EVENTS_DIR", events.toString(),
                "HA_DIAG_CONFIG", "");
        List<String> lines = DeployDoc.eventsBlock("events-prune").lines().toList();
        assertThat(lines).hasSize(2);

        HostCommand dry = HostCommand.run(dir, env, LIMIT, List.of("bash", "-c", lines.get(0)));
        assertThat(dry.exit()).as(dry.output()).isZero();
        assertThat(dry.output()).contains("would prune " + old.getFileName() + ": 1 event file", "kept " + foreign.getFileName() + ": holds",
                "README.txt").doesNotContain(recent.getFileName().toString());
        assertThat(old).isDirectory();

        HostCommand pruned = HostCommand.run(dir, env, LIMIT, List.of("bash", "-c", lines.get(1)));
        assertThat(pruned.exit()).as(pruned.output()).isZero();
        assertThat(pruned.output()).contains("events prune: pruned 1 day (1 event file)", "kept 1");
        assertThat(old).doesNotExist();
        assertThat(foreign.resolve("nas/README.txt")).exists();
        assertThat(recent).isDirectory();

        HostCommand tooShort = HostCommand.run(dir, env, LIMIT, List.of("bash", "-c", "ha-diag events prune --older-than 12h"));
        assertThat(tooShort.exit()).isEqualTo(2);
        assertThat(recent).isDirectory();
    }

    @Test
    void an_agent_with_events_retention_prunes_old_days_at_its_start_and_says_what_it_kept() throws Exception {
        Path events = dir.resolve("events");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path old = day(events, today.minusDays(40), "piha");
        Path foreign = day(events, today.minusDays(35), "piha");
        Files.createDirectories(foreign.resolve("piha/attachments"));
        Path recent = day(events, today.minusDays(2), "piha");
        Path config = Files.writeString(dir.resolve("ha-diag-agent.yaml"), "events: { retention: 30d }\n" + AgentProcess.ON_DEMAND_CHECKS);
        // No HA needed: nothing listens on its port, the agent runs all the same.
        Map<String, String> env = Map.of("HA_URL", "http://127.0.0.1:" + AgentProcess.freePort(), "HA_TOKEN", "retention-token",
                "NODE_NAME", "retention-it", "HA_DIAG_EVENTS_DIR", events.toString(), "HA_DIAG_DB", dir.resolve("ha_diag.db").toString(),
                "HA_DIAG_CONFIG", config.toString(), "HA_DIAG_LOG_FORMAT", "console");
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(old));
            await().atMost(Duration.ofSeconds(10)).until(() -> (agent.stdout() + agent.stderr()).contains("events.retention: kept"));
            assertThat(agent.stdout() + agent.stderr()).contains("kept " + foreign.getFileName(), "attachments");
            assertThat(foreign).isDirectory();
            assertThat(recent).isDirectory();
            assertThat(agent.stop()).isZero();
        }
    }
}
