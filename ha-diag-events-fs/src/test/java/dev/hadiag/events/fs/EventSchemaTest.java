package dev.hadiag.events.fs;

import static dev.hadiag.events.fs.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hadiag.core.event.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published schema (docs/event.schema.json) and what the sink writes must agree. */
class EventSchemaTest {

    static final Path SCHEMA = Path.of("..", "docs", "event.schema.json");
    static Schema schema;
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path root;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private List<Error> validate(JsonNode node) {
        return schema.validate(node);
    }

    @Test
    void every_written_event_validates_against_the_published_schema() throws IOException {
        FileSystemEventSink sink = FileSystemEventSink.open(root);
        for (Severity severity : Severity.values()) {
            Path file = sink.write(event().severity(severity).type("service_unhealthy")
                    .payload(Map.of("list", List.of(1, 2), "nested", Map.of("ok", true))).build());
            assertThat(validate(json.readTree(file.toFile()))).isEmpty();
        }
    }

    @Test
    void a_storm_event_carries_its_counts_and_one_without_them_is_rejected() throws IOException {
        Map<String, Object> payload = Map.of("alert_key", "ha_alert_storm:storm:ha_entity_unavailable_long",
                "alert_type", "ha_entity_unavailable_long", "max_events_per_run", 50, "openings", 5000, "written", 50,
                "held", 4950, "by_kind", Map.of("entity", 5000), "first_held_keys", List.of("ha_entity_unavailable_long:entity:sensor.a"));
        ObjectNode storm = (ObjectNode) json.readTree(EventJson.toJsonLine(event().type("ha_alert_storm").payload(payload).build()));
        assertThat(validate(storm)).isEmpty();
        ((ObjectNode) storm.get("payload")).remove("by_kind");
        assertThat(validate(storm)).isNotEmpty();
    }

    @Test
    void the_schema_rejects_what_the_model_rejects() throws IOException {
        ObjectNode valid = (ObjectNode) json.readTree(EventJson.toJsonLine(event().build()));
        assertThat(validate(valid)).isEmpty();

        assertThat(validate(valid.deepCopy().put("severity", "fatal"))).isNotEmpty();
        assertThat(validate(valid.deepCopy().put("node", "../etc"))).isNotEmpty();
        assertThat(validate(valid.deepCopy().put("timestamp", "2026-06-03T17:19:34Z"))).isNotEmpty();
        assertThat(validate(valid.deepCopy().put("correlation_id", " "))).isNotEmpty();
        ObjectNode withoutPayload = valid.deepCopy();
        withoutPayload.remove("payload");
        assertThat(validate(withoutPayload)).isNotEmpty();
        assertThat(validate(valid.deepCopy().put("extra_field", 1))).isEmpty();
    }

    @Test
    void an_ha_restarted_event_needs_planned_and_its_downtime_and_carries_no_alert_key() throws IOException {
        Map<String, Object> payload = Map.of("check", "websocket", "summary", "Home Assistant restarted as announced; back after 4.2 s",
                "planned", true, "downtime_s", 4.2, "down_since", "2026-11-24T08:30:01.120Z");
        ObjectNode restarted = (ObjectNode) json.readTree(EventJson.toJsonLine(event().type("ha_restarted").severity(Severity.INFO)
                .payload(payload).build()));
        assertThat(validate(restarted)).isEmpty();

        ObjectNode withoutPlanned = restarted.deepCopy();
        ((ObjectNode) withoutPlanned.get("payload")).remove("planned");
        assertThat(validate(withoutPlanned)).isNotEmpty();
        ObjectNode withAlertKey = restarted.deepCopy();
        ((ObjectNode) withAlertKey.get("payload")).put("alert_key", "ha_restarted:ha:homeassistant");
        assertThat(validate(withAlertKey)).isNotEmpty();
        assertThat(validate(restarted.deepCopy().put("severity", "error"))).isNotEmpty();
    }
}
