package dev.hadiag.events.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning a real events tree that other tools share: whole days older than the cut, and nothing else. */
class EventTreePrunerTest {

    private static final Instant CUT = Instant.parse("2026-06-10T00:00:00Z");

    @TempDir
    Path root;

    /** An event file as a writer leaves it: its modification time is its event's time. */
    private Path eventFile(String day, String node, String name) throws IOException {
        Path file = Files.writeString(Files.createDirectories(root.resolve(day).resolve(node)).resolve(name), "{}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(day + "T12:00:00Z")));
        return file;
    }

    private Path event(String day, String node) throws IOException {
        return eventFile(day, node, day.replace("-", "") + "T120000.000Z_ha_websocket_dead_" + java.util.UUID.randomUUID() + ".json");
    }

    private List<String> days() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void whole_days_that_ended_by_the_cut_go_and_the_day_of_the_cut_and_later_stay() throws Exception {
        event("2026-06-01", "piha");
        event("2026-06-01", "nas");
        event("2026-06-09", "piha");
        event("2026-06-10", "piha");
        event("2026-06-11", "piha");

        List<EventTreePruner.Day> outcome = EventTreePruner.prune(root, CUT, false);

        assertThat(outcome).containsExactly(new EventTreePruner.Day(LocalDate.parse("2026-06-01"), true, 2, ""),
                new EventTreePruner.Day(LocalDate.parse("2026-06-09"), true, 1, ""));
        assertThat(days()).containsExactly("2026-06-10", "2026-06-11");
    }

    @Test
    void a_cut_in_the_middle_of_a_day_keeps_that_day() throws Exception {
        event("2026-06-09", "piha");
        assertThat(EventTreePruner.prune(root, Instant.parse("2026-06-09T23:59:59Z"), false)).isEmpty();
        assertThat(days()).containsExactly("2026-06-09");
    }

    @Test
    void a_day_holding_another_tools_file_or_directory_is_kept_whole_and_said_why() throws Exception {
        Path kept = event("2026-06-02", "piha");
        Files.writeString(root.resolve("2026-06-02/piha/README.txt"), "notes of another tool");
        event("2026-06-03", "piha");
        Files.createDirectories(root.resolve("2026-06-03/piha/attachments"));
        event("2026-06-04", "piha");
        Files.writeString(root.resolve("2026-06-04/index.db"), "x");
        Files.createDirectories(root.resolve("archive/2026-05"));
        Files.writeString(root.resolve("notes.txt"), "x");

        List<EventTreePruner.Day> outcome = EventTreePruner.prune(root, CUT, false);

        assertThat(outcome).extracting(EventTreePruner.Day::pruned).containsExactly(false, false, false);
        assertThat(outcome.get(0).reason()).contains("README.txt", "not an event file");
        assertThat(outcome.get(1).reason()).contains("attachments", "not an event file");
        assertThat(outcome.get(2).reason()).contains("index.db", "not a node directory");
        assertThat(kept).exists();
        assertThat(days()).containsExactly("2026-06-02", "2026-06-03", "2026-06-04", "archive", "notes.txt");
    }

    @Test
    void a_day_with_a_file_modified_after_the_cut_is_kept_whole() throws Exception {
        Path old = event("2026-06-01", "piha");
        Path late = event("2026-06-01", "nas");
        Files.setLastModifiedTime(late, FileTime.from(CUT.plusSeconds(1)));

        List<EventTreePruner.Day> outcome = EventTreePruner.prune(root, CUT, false);

        assertThat(outcome).singleElement().satisfies(day -> {
            assertThat(day.pruned()).isFalse();
            assertThat(day.reason()).contains(late.getFileName().toString(), "after the cut");
        });
        assertThat(old).exists();
        assertThat(late).exists();
    }

    @Test
    void a_dry_run_says_what_would_go_and_removes_nothing() throws Exception {
        event("2026-06-01", "piha");
        assertThat(EventTreePruner.prune(root, CUT, true)).containsExactly(new EventTreePruner.Day(LocalDate.parse("2026-06-01"), true, 1, ""));
        assertThat(days()).containsExactly("2026-06-01");
    }

    @Test
    void a_writers_temp_file_goes_with_its_day_and_a_day_that_is_a_link_stays() throws Exception {
        event("2026-06-01", "piha");
        Path temp = eventFile("2026-06-01", "piha", ".ha-diag-4242-" + java.util.UUID.randomUUID() + ".tmp");
        Path elsewhere = Files.createDirectories(root.getParent().resolve(root.getFileName() + "-elsewhere/piha"));
        Files.createSymbolicLink(root.resolve("2026-06-02"), elsewhere.getParent());

        List<EventTreePruner.Day> outcome = EventTreePruner.prune(root, CUT, false);

        assertThat(outcome.get(0).pruned()).isTrue();
        assertThat(temp).doesNotExist();
        assertThat(outcome.get(1).pruned()).isFalse();
        assertThat(outcome.get(1).reason()).contains("not a directory");
        assertThat(elsewhere).isDirectory();
    }

    @Test
    void a_prune_cut_short_is_finished_by_the_next_one() throws Exception {
        Path leftover = Files.createDirectories(root.resolve(EventTreePruner.PRUNING_PREFIX + "2026-06-01-999/piha"));
        Files.writeString(leftover.resolve("20260601T120000.000Z_x_y.json"), "{}");
        EventTreePruner.prune(root, CUT, false);
        assertThat(days()).isEmpty();
    }
}
