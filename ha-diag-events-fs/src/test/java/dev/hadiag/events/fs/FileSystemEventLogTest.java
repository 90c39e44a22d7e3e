package dev.hadiag.events.fs;

import static dev.hadiag.events.fs.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.EventLogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemEventLogTest {

    @TempDir
    Path root;
    FileSystemEventSink sink;
    FileSystemEventLog log;

    @BeforeEach
    void open() {
        sink = FileSystemEventSink.open(root);
        log = new FileSystemEventLog(root);
    }

    private List<Event> find(EventQuery query) {
        try (Stream<Event> events = log.find(query)) {
            return events.toList();
        }
    }

    private List<String> ids(EventQuery query) {
        return find(query).stream().map(Event::correlationId).toList();
    }

    @Test
    void events_come_back_oldest_first_across_days_and_nodes() {
        sink.write(event().at("2026-06-04T00:00:00.001Z").node("b").correlationId("5").build());
        sink.write(event().at("2026-06-03T10:00:00.000Z").node("b").correlationId("2").build());
        sink.write(event().at("2026-06-03T09:00:00.000Z").node("a").correlationId("1").build());
        sink.write(event().at("2026-06-03T11:00:00.000Z").node("a").correlationId("3").build());
        sink.write(event().at("2026-06-03T23:59:59.999Z").node("c").correlationId("4").build());

        assertThat(ids(EventQuery.all())).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void filters_select_by_time_node_type_severity_and_correlation_id() {
        sink.write(event().at("2026-06-02T12:00:00Z").node("a").type("ha_websocket_dead").severity(Severity.ERROR).correlationId("1").build());
        sink.write(event().at("2026-06-03T12:00:00Z").node("b").type("ha_websocket_recovered").severity(Severity.INFO).correlationId("1").build());
        sink.write(event().at("2026-06-04T12:00:00Z").node("a").type("deployment_started").severity(Severity.INFO).correlationId("2").build());

        assertThat(ids(EventQuery.all().withSince(Instant.parse("2026-06-03T00:00:00Z")))).containsExactly("1", "2");
        assertThat(ids(EventQuery.all().withUntil(Instant.parse("2026-06-03T12:00:00Z")))).containsExactly("1");
        assertThat(find(EventQuery.all().withNodes(Set.of("b")))).extracting(Event::node).containsExactly("b");
        assertThat(find(EventQuery.all().withTypes(Set.of("deployment_started")))).extracting(Event::type).containsExactly("deployment_started");
        assertThat(find(EventQuery.all().withSeverities(Set.of(Severity.ERROR)))).extracting(Event::severity).containsExactly(Severity.ERROR);
        assertThat(find(EventQuery.all().withCorrelationIds(Set.of("1")))).extracting(Event::type)
                .containsExactly("ha_websocket_dead", "ha_websocket_recovered");
    }

    @Test
    void corrupt_and_foreign_files_are_skipped_with_one_line_each_and_the_listing_goes_on() throws IOException {
        sink.write(event().at("2026-06-03T10:00:00Z").correlationId("before").build());
        sink.write(event().at("2026-06-03T12:00:00Z").correlationId("after").build());
        Path directory = root.resolve("2026-06-03/piha");
        Path truncated = Files.writeString(directory.resolve("20260603T110000.000Z_ha_websocket_dead_t.json"),
                "{\"timestamp\": \"2026-06-03T11:00:00.000Z\", \"node\": \"pi");
        Path foreign = Files.writeString(directory.resolve("20260603T110001.000Z_other_f.json"), "{\"hello\": \"world\"}");
        Path notJson = Files.writeString(directory.resolve("20260603T110002.000Z_x_n.json"), "PK\u0003\u0004 binary");
        Path badSeverity = Files.writeString(directory.resolve("20260603T110003.000Z_x_s.json"),
                "{\"timestamp\":\"2026-06-03T11:00:03Z\",\"node\":\"piha\",\"type\":\"x\",\"severity\":\"fatal\","
                        + "\"source\":\"s\",\"service\":\"v\",\"correlation_id\":\"c\",\"payload\":{}}");
        Path array = Files.writeString(directory.resolve("20260603T110004.000Z_x_a.json"), "[1,2]");

        try (CapturedLog captured = CapturedLog.of(FileSystemEventLog.class)) {
            assertThat(ids(EventQuery.all())).containsExactly("before", "after");
            assertThat(captured.lines()).hasSize(5);
            assertThat(captured.lines()).anySatisfy(l -> assertThat(l).contains(truncated.toString()).contains("not valid JSON"));
            assertThat(captured.lines()).anySatisfy(l -> assertThat(l).contains(foreign.toString()).contains("'timestamp' is missing"));
            assertThat(captured.lines()).anySatisfy(l -> assertThat(l).contains(notJson.toString()));
            assertThat(captured.lines()).anySatisfy(l -> assertThat(l).contains(badSeverity.toString()).contains("fatal"));
            assertThat(captured.lines()).anySatisfy(l -> assertThat(l).contains(array.toString()).contains("not a JSON object"));
        }
    }

    @Test
    void unknown_fields_from_other_tools_survive_a_read_and_rewrite() throws IOException {
        Path directory = Files.createDirectories(root.resolve("2026-06-03/nas"));
        Files.writeString(directory.resolve("20260603T171934Z_service_unhealthy_abc.json"), """
                {"timestamp": "2026-06-03T17:19:34.123456+00:00", "node": "nas", "type": "service_unhealthy",
                 "severity": "error", "source": "monitor.py", "service": "ollama", "correlation_id": "12345",
                 "payload": {"error": "OOM", "rss_mb": 31.5, "tags": ["a", null]},
                 "schema_version": 2, "host_meta": {"kernel": "6.1"}}
                """);

        Event read = find(EventQuery.all()).get(0);
        assertThat(read.extensions()).containsEntry("schema_version", 2).containsEntry("host_meta", Map.of("kernel", "6.1"));
        assertThat(read.payload()).containsEntry("rss_mb", 31.5);
        assertThat(read.timestamp()).isEqualTo(Instant.parse("2026-06-03T17:19:34.123Z"));

        Path copyRoot = Files.createDirectories(root.resolve("copy"));
        Path rewritten = FileSystemEventSink.open(copyRoot).write(read);
        assertThat(EventJson.parse(Files.readAllBytes(rewritten))).isEqualTo(read);
        assertThat(Files.readString(rewritten)).contains("\"schema_version\" : 2");
    }

    @Test
    void timestamps_without_zone_are_read_as_utc() throws IOException {
        Path directory = Files.createDirectories(root.resolve("2026-06-03/nas"));
        Files.writeString(directory.resolve("20260603T171934_deployment_started_x.json"),
                "{\"timestamp\":\"2026-06-03T17:19:34.5\",\"node\":\"nas\",\"type\":\"deployment_started\",\"severity\":\"info\","
                        + "\"source\":\"deploy.sh\",\"service\":\"mosquitto\",\"correlation_id\":\"deploy-882\",\"payload\":{}}");
        assertThat(find(EventQuery.all())).extracting(Event::timestamp).containsExactly(Instant.parse("2026-06-03T17:19:34.500Z"));
    }

    @Test
    void stray_entries_in_the_tree_are_ignored() throws IOException {
        sink.write(event().build());
        Files.writeString(root.resolve("README.txt"), "hello");
        Files.createDirectories(root.resolve("not-a-date/piha"));
        Files.writeString(root.resolve("2026-06-03/stray.json"), "{}");
        Files.writeString(root.resolve("2026-06-03/piha/notes.txt"), "x");
        assertThat(find(EventQuery.all())).hasSize(1);
    }

    @Test
    void reading_is_lazy_so_taking_the_first_event_parses_nothing_further() throws IOException {
        sink.write(event().at("2026-06-01T00:00:00Z").correlationId("first").build());
        Path later = Files.createDirectories(root.resolve("2026-06-02/piha"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(later.resolve("20260602T0000" + String.format("%02d", i) + ".000Z_x_" + i + ".json"), "corrupt");
        }
        try (CapturedLog captured = CapturedLog.of(FileSystemEventLog.class); Stream<Event> events = log.find(EventQuery.all())) {
            assertThat(events.findFirst()).get().extracting(Event::correlationId).isEqualTo("first");
            assertThat(captured.lines()).isEmpty();
        }
    }

    @Test
    void missing_root_is_a_clear_error() {
        FileSystemEventLog missing = new FileSystemEventLog(root.resolve("nope"));
        assertThatThrownBy(() -> missing.find(EventQuery.all()))
                .isInstanceOf(EventLogException.class)
                .hasMessageContaining(root.resolve("nope") + " does not exist");
    }
}
