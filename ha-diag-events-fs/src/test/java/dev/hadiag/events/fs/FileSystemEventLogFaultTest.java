package dev.hadiag.events.fs;

import static dev.hadiag.events.fs.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foreign and hostile entries in a real events tree: whatever sits among the event files, the valid
 * events come out in order, each bad entry costs one warning, and nothing blocks (the timeout would
 * catch a FIFO being opened).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileSystemEventLogFaultTest {

    @TempDir
    Path root;
    FileSystemEventSink sink;
    FileSystemEventLog log;
    Path day;

    @BeforeEach
    void open() throws IOException {
        sink = FileSystemEventSink.open(root);
        log = new FileSystemEventLog(root);
        sink.write(event().at("2026-06-03T10:00:00Z").correlationId("first").build());
        sink.write(event().at("2026-06-03T12:00:00Z").correlationId("last").build());
        day = root.resolve("2026-06-03/piha");
    }

    private List<String> ids() {
        try (Stream<Event> events = log.find(EventQuery.all())) {
            return events.map(Event::correlationId).toList();
        }
    }

    private static void sh(String script, Path dir) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", script, "sh", dir.toString()).inheritIO().start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(script).isZero();
    }

    /** Everything a hostile or careless neighbour can leave in a node directory, each named like an event file. */
    static void plantHostileEntries(Path dir) throws Exception {
        sh("cd \"$1\" && mkfifo 20260603T110000.000Z_fifo_a.json", dir);
        // Bytes 0xff 0xfe are not UTF-8 (nor ASCII): the name cannot be decoded in any locale.
        sh("cd \"$1\" && touch \"$(printf '20260603T110001.000Z_bad_\\377\\376.json')\"", dir);
        // Valid UTF-8 but not ASCII: not a name of the layout, and undecodable where no locale is set.
        sh("cd \"$1\" && printf '{}' > \"$(printf '20260603T110002.000Z_caf\\303\\251_u.json')\"", dir);
        Files.createSymbolicLink(dir.resolve("20260603T110003.000Z_loop_l.json"), dir.resolve("20260603T110003.000Z_loop_l.json"));
        Files.createSymbolicLink(dir.resolve("20260603T110004.000Z_dangling_d.json"), dir.resolve("nowhere"));
        Files.createDirectory(dir.resolve("20260603T110005.000Z_dir_d.json"));
        try (FileChannel huge = FileChannel.open(dir.resolve("20260603T110006.000Z_huge_h.json"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            huge.write(ByteBuffer.wrap(new byte[] {'}'}), 64L * 1024 * 1024);
        }
        byte[] garbage = new byte[4096];
        new java.util.Random(12).nextBytes(garbage);
        Files.write(dir.resolve("20260603T110007.000Z_garbage_g.json"), garbage);
        Files.write(dir.resolve("20260603T110008.000Z_empty_e.json"), new byte[0]);
        Files.writeString(dir.resolve("20260603T110009.000Z_other_o.json"), "{\"level\":\"info\",\"msg\":\"another tool's log line\"}");
        Files.writeString(dir.resolve("20260603T110010.000Z_deep_x.json"), "[".repeat(100_000));
    }

    /** Files of other tools that do not look like event files: ignored without a word. */
    static void plantForeignButHarmlessEntries(Path dir) throws IOException {
        Files.writeString(dir.resolve("README.txt"), "not an event");
        Files.writeString(dir.resolve(".20260603T110011.000Z_hidden_h.json"), "{}");
        Files.writeString(dir.resolve("20260603T110012.000Z_x_y.json.swp"), "vim");
        Files.writeString(dir.resolve("20260603T110013.000Z_x_y.json~"), "backup");
        Files.writeString(dir.resolve(".ha-diag-999999999-x.tmp"), "{\"partial");
    }

    @Test
    void hostile_entries_are_skipped_with_one_warning_each_and_the_valid_events_still_come_out() throws Exception {
        plantHostileEntries(day);
        plantForeignButHarmlessEntries(day);
        try (CapturedLog captured = CapturedLog.of(FileSystemEventLog.class)) {
            assertThat(ids()).containsExactly("first", "last");
            List<String> lines = captured.lines();
            assertThat(lines).hasSize(11);
            assertThat(lines).filteredOn(l -> l.contains("_fifo_a.json")).singleElement().asString().contains("not a regular file");
            assertThat(lines).filteredOn(l -> l.contains("_bad_")).singleElement().asString().contains("not ASCII");
            assertThat(lines).filteredOn(l -> l.contains("_caf?_u.json")).singleElement().asString().contains("not ASCII");
            assertThat(lines).filteredOn(l -> l.contains("_loop_l.json")).singleElement().asString().contains("symbolic links");
            assertThat(lines).filteredOn(l -> l.contains("_dangling_d.json")).singleElement().asString().contains("no such file");
            assertThat(lines).filteredOn(l -> l.contains("_dir_d.json")).singleElement().asString().contains("not a regular file");
            assertThat(lines).filteredOn(l -> l.contains("_huge_h.json")).singleElement().asString().contains("too large");
            assertThat(lines).filteredOn(l -> l.contains("_garbage_g.json")).singleElement();
            assertThat(lines).filteredOn(l -> l.contains("_empty_e.json")).singleElement();
            assertThat(lines).filteredOn(l -> l.contains("_other_o.json")).singleElement().asString().contains("'timestamp' is missing");
            assertThat(lines).filteredOn(l -> l.contains("_deep_x.json")).singleElement();
            assertThat(lines).noneMatch(l -> l.contains("README") || l.contains("hidden") || l.contains(".swp") || l.contains("~")
                    || l.contains(".tmp"));
        }
    }

    @Test
    void hostile_entries_in_place_of_day_and_node_directories_are_passed_over() throws Exception {
        sh("cd \"$1\" && mkfifo 2026-06-04", root);
        Files.createSymbolicLink(root.resolve("2026-06-05"), root.resolve("2026-06-05"));
        Files.writeString(root.resolve("2026-06-06"), "a file where a day should be");
        sh("cd \"$1\" && mkfifo fifo-node && mkdir \"$(printf 'node-\\377')\"", root.resolve("2026-06-03"));
        Files.createSymbolicLink(root.resolve("2026-06-03/loop-node"), root.resolve("2026-06-03/loop-node"));
        // A link back up the tree: the layout has a fixed depth, so it is never walked recursively.
        Files.createSymbolicLink(root.resolve("2026-06-03/up"), root);
        assertThat(ids()).containsExactly("first", "last");
    }

    @Test
    void a_directory_of_thousands_of_garbage_files_is_read_through_with_the_valid_events_in_order() throws IOException {
        for (int i = 0; i < 500; i++) {
            Files.writeString(day.resolve(String.format("20260603T11%04d.000Z_junk_%d.json", i, i)), "{\"junk\": " + i);
        }
        try (CapturedLog captured = CapturedLog.of(FileSystemEventLog.class)) {
            assertThat(ids()).containsExactly("first", "last");
            assertThat(captured.lines()).hasSize(500);
        }
    }
}
