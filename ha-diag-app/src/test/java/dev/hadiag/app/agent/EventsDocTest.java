package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/events.md's example event is one the agent writes: valid, and with the payload a real one carries. */
class EventsDocTest {

    private static final Path EVENTS_MD = DeployDoc.REPO.resolve("docs/events.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode example() throws IOException {
        Matcher m = Pattern.compile("Example, as written[^\\n]*\\n\\s*```json\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(EVENTS_MD, StandardCharsets.UTF_8));
        assertThat(m.find()).as("docs/events.md has its example event").isTrue();
        return JSON.readTree(m.group(1).replace("…", "x"));
    }

    @Test
    void every_root_cause_kind_is_documented_where_the_payload_and_the_cli_contract_are() throws IOException {
        for (String doc : List.of("docs/checks.md", "docs/operations.md")) {
            String text = Files.readString(DeployDoc.REPO.resolve(doc), StandardCharsets.UTF_8);
            Matcher list = Pattern.compile("(?s)`root_cause.kind`\\)? (?:are|is one of) (.*?)[.(]").matcher(text);
            assertThat(list.find()).as(doc + " lists the kinds").isTrue();
            for (dev.hadiag.core.analysis.RootCause.Kind kind : dev.hadiag.core.analysis.RootCause.Kind.values()) {
                assertThat(list.group(1)).as(doc).contains("`" + kind.wire() + "`");
            }
        }
    }

    @Test
    void the_example_validates_against_the_schema() throws IOException {
        Schema schema;
        try (InputStream in = Files.newInputStream(DeployDoc.REPO.resolve("docs/event.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        assertThat(schema.validate(example())).isEmpty();
    }

    @Test
    void the_example_has_the_payload_of_a_real_websocket_dead_event_checked_by_the_watchdog() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-03T17:19:34Z"));
        RecordingEventSink sink = new RecordingEventSink();
        Diagnostics diagnostics = Diagnostics.builder(new FakeHomeAssistant(), new InMemoryDiagnosticStore(), sink)
                .checks(new HeartbeatCheck()).events(new AlertEvents("piha", "lab", "http://127.0.0.1:8123")).clock(clock).build();
        diagnostics.onLiveSignal(new LiveSignal.Disconnected(clock.instant(),
                "WebSocket http://127.0.0.1:8123/api/websocket: java.net.ConnectException: Failed to connect to /127.0.0.1:8123",
                LiveSignal.DisconnectCause.REFUSED));
        clock.advance(Duration.ofSeconds(11));
        diagnostics.tick();
        Event dead = sink.ofType(EventTypes.HA_WEBSOCKET_DEAD).get(0);

        JsonNode example = example();
        assertThat(example.get("type").asText()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD);
        List<String> documented = new ArrayList<>();
        example.get("payload").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(dead.payload().keySet());
        assertThat(example.get("payload").get("check").asText()).isEqualTo(dead.payload().get("check")).isEqualTo("websocket");
        assertThat(example.get("payload").get("reason").asText()).isEqualTo(dead.payload().get("reason"));
    }
}
