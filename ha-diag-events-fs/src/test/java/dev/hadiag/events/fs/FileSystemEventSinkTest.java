package dev.hadiag.events.fs;

import static dev.hadiag.events.fs.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.EventSinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemEventSinkTest {

    @TempDir
    Path root;

    @Test
    void event_lands_under_date_and_node_with_a_sortable_timestamped_name() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        FileSystemEventSink sink = FileSystemEventSink.open(root, () -> id, Clock.systemUTC());

        Path file = sink.write(event().at("2026-06-03T23:59:59.999Z").node("piha").type("ha_websocket_dead").build());

        assertThat(file).isEqualTo(root.resolve("2026-06-03/piha/20260603T235959.999Z_ha_websocket_dead_" + id + ".json"));
        assertThat(file).isRegularFile();
    }

    @Test
    void written_file_is_the_event_in_schema_order_and_reads_back_equal() throws IOException {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        Event original = event().payload(Map.of("check", "heartbeat", "nested", Map.of("n", 1))).build();

        Path file = sink.write(original);

        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"timestamp\" : \"2026-06-03T17:19:34.123Z\",\n  \"node\" : \"piha\"").endsWith("}\n");
        assertThat(EventJson.parse(Files.readAllBytes(file))).isEqualTo(original);
    }

    @Test
    void concurrent_emitters_lose_nothing_and_never_clash() throws Exception {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Path>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<List<Path>> writer = () -> {
                start.await();
                List<Path> written = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    // Same millisecond, node and type for every writer: only the UUID keeps them apart.
                    written.add(sink.write(event().correlationId(thread + "-" + i).build()));
                }
                return written;
            };
            results.add(pool.submit(writer));
        }
        start.countDown();
        Set<Path> all = new java.util.HashSet<>();
        for (Future<List<Path>> result : results) {
            all.addAll(result.get());
        }
        pool.shutdown();

        assertThat(all).hasSize(threads * perThread);
        try (Stream<Path> files = Files.list(root.resolve("2026-06-03/piha"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(threads * perThread).allMatch(n -> n.endsWith(".json"));
        }
        try (Stream<Event> events = new FileSystemEventLog(root).find(EventQuery.all())) {
            assertThat(events.map(Event::correlationId).distinct().count()).isEqualTo(threads * perThread);
        }
    }

    @Test
    void read_only_root_fails_clearly_and_leaves_nothing_behind() throws Exception {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        try (ReadOnly ignored = ReadOnly.make(root)) {
            assertThatThrownBy(() -> sink.write(event().build()))
                    .isInstanceOf(EventSinkException.class)
                    .hasMessageContaining("could not write ha_websocket_dead event to " + root.resolve("2026-06-03/piha"));
        }
        try (Stream<Path> everything = Files.walk(root)) {
            assertThat(everything).containsExactly(root);
        }
    }

    @Test
    void read_only_node_directory_fails_without_a_temp_file_or_partial_event() throws Exception {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        Path nodeDirectory = Files.createDirectories(root.resolve("2026-06-03/piha"));
        try (ReadOnly ignored = ReadOnly.make(nodeDirectory)) {
            assertThatThrownBy(() -> sink.write(event().build())).isInstanceOf(EventSinkException.class);
        }
        try (Stream<Path> files = Files.list(nodeDirectory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void root_that_is_a_file_is_a_clear_error() throws IOException {
        Path file = Files.writeString(root.resolve("events"), "not a directory");
        assertThatThrownBy(() -> FileSystemEventSink.open(file))
                .isInstanceOf(EventSinkException.class)
                .hasMessageContaining("events directory " + file + " cannot be used");
    }

    @Test
    void missing_root_is_created() {
        Path nested = root.resolve("a/b/events");
        FileSystemEventSink.open(nested).write(event().build());
        assertThat(nested.resolve("2026-06-03/piha")).isDirectory();
    }

    @Test
    void a_root_deleted_while_the_sink_is_open_is_created_again_by_the_next_write() throws IOException {
        Path events = root.resolve("events");
        FileSystemEventSink sink = FileSystemEventSink.open(events);
        sink.write(event().build());
        try (Stream<Path> walk = Files.walk(events)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Path file = sink.write(event().build());
        assertThat(file).isRegularFile().startsWith(events);
    }

    @Test
    void next_start_removes_temp_files_of_dead_writers_and_keeps_live_ones() throws IOException {
        Path nodeDirectory = Files.createDirectories(root.resolve("2026-06-03/piha"));
        Path deadWriter = Files.writeString(nodeDirectory.resolve(".ha-diag-" + deadPid() + "-x.tmp"), "{\"timest");
        Path liveWriter = Files.writeString(nodeDirectory.resolve(".ha-diag-" + ProcessHandle.current().pid() + "-y.tmp"), "{");
        Path oldLiveWriter = Files.writeString(nodeDirectory.resolve(".ha-diag-" + ProcessHandle.current().pid() + "-z.tmp"), "{");
        Files.setLastModifiedTime(oldLiveWriter, FileTime.from(Instant.now().minusSeconds(3600)));
        Path foreign = Files.writeString(nodeDirectory.resolve(".other-tool.tmp"), "{");

        FileSystemEventSink.open(root, UUID::randomUUID, Clock.fixed(Instant.now(), ZoneOffset.UTC));

        assertThat(deadWriter).doesNotExist();
        assertThat(oldLiveWriter).doesNotExist();
        assertThat(liveWriter).exists();
        assertThat(foreign).exists();
    }

    @Test
    void temp_files_are_invisible_to_readers() throws IOException {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        sink.write(event().build());
        Files.writeString(root.resolve("2026-06-03/piha/.ha-diag-" + ProcessHandle.current().pid() + "-half.tmp"), "{\"timestamp\":");
        try (Stream<Event> events = new FileSystemEventLog(root).find(EventQuery.all())) {
            assertThat(events).hasSize(1);
        }
    }

    private static long deadPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        return pid;
    }

    /**
     * Makes a directory unwritable even for root (tests run as root in CI): permission bits first, then the
     * immutable attribute, which root cannot bypass.
     */
    static final class ReadOnly implements AutoCloseable {
        private final Path directory;
        private final boolean immutable;

        private ReadOnly(Path directory, boolean immutable) {
            this.directory = directory;
            this.immutable = immutable;
        }

        static ReadOnly make(Path directory) throws Exception {
            directory.toFile().setWritable(false, false);
            if (!canWrite(directory)) {
                return new ReadOnly(directory, false);
            }
            boolean immutable = run("chattr", "+i", directory.toString()) == 0 && !canWrite(directory);
            assumeTrue(immutable, "cannot make a directory read-only for this user (no chattr +i)");
            return new ReadOnly(directory, true);
        }

        private static boolean canWrite(Path directory) {
            Path probe = directory.resolve(".probe");
            try {
                Files.createFile(probe);
                Files.delete(probe);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static int run(String... command) throws Exception {
            try {
                return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException missing) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
            if (immutable) {
                run("chattr", "-i", directory.toString());
            }
            directory.toFile().setWritable(true, false);
        }
    }
}
