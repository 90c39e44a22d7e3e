package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes of real directories; the full and read-only disks are in EdgesFaultIT (they need a tmpfs). */
class StorageHealthTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T05:00:00Z"), ZoneOffset.UTC);

    @Test
    void a_writable_directory_is_healthy_and_the_probe_leaves_nothing_behind() throws IOException {
        StorageHealth health = new StorageHealth(List.of(new StorageHealth.Target("events", dir)), clock);
        health.probeAll();
        assertThat(health.problems()).isEmpty();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void a_directory_that_is_gone_or_a_file_fails_with_the_reason_and_recovers_when_it_is_back() throws IOException {
        Path events = dir.resolve("events");
        Files.writeString(events, "a file where the events directory should be");
        StorageHealth health = new StorageHealth(List.of(new StorageHealth.Target("events", events),
                new StorageHealth.Target("store", dir)), clock);
        health.probeAll();
        assertThat(health.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.component()).isEqualTo("events");
            assertThat(problem.reason()).contains(events.toString(), "not a directory");
            assertThat(problem.since()).isEqualTo(clock.instant());
        });
        Files.delete(events);
        Files.createDirectory(events);
        health.probeAll();
        assertThat(health.problems()).isEmpty();
    }

    @Test
    void a_directory_the_agent_created_and_that_is_deleted_is_created_again_by_the_probe() throws IOException {
        Path events = dir.resolve("events");
        Files.createDirectory(events);
        StorageHealth health = new StorageHealth(List.of(new StorageHealth.Target("events", events, true)), clock);
        Files.delete(events);
        health.probeAll();
        assertThat(events).isDirectory();
        assertThat(health.problems()).isEmpty();
    }

    @Test
    void a_watched_file_deleted_or_replaced_fails_its_component_naming_the_file() throws IOException {
        Path database = dir.resolve("ha_diag.db");
        Files.writeString(database, "the file the agent opened");
        // Held open as the agent holds its database: an unlinked file keeps its inode, so a new file cannot reuse it.
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(database)) {
            StorageHealth health = new StorageHealth(List.of(new StorageHealth.Target("store", dir)), clock);
            health.watch("store", database);
            health.probeAll();
            assertThat(health.problems()).isEmpty();

            Files.delete(database);
            health.probeAll();
            assertThat(health.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.component()).isEqualTo("store");
                assertThat(problem.reason()).contains(database.toString(), "was deleted while the agent runs");
            });

            Files.writeString(database, "another file in its place");
            health.probeAll();
            assertThat(health.problems()).singleElement()
                    .satisfies(problem -> assertThat(problem.reason()).contains(database.toString(), "was replaced by another file"));
        }
    }

    @Test
    void a_failed_event_write_shows_at_once_keeps_its_first_time_and_a_good_write_clears_it() {
        StorageHealth health = new StorageHealth(List.of(), clock);
        health.failed("events", "No space left on device (/events/2026-11-24/piha)");
        health.failed("events", "Read-only file system (/events/2026-11-24/piha)");
        assertThat(health.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.reason()).startsWith("Read-only file system");
            assertThat(problem.since()).isEqualTo(clock.instant());
        });
        health.ok("events");
        assertThat(health.problems()).isEmpty();
    }
}
