package dev.hadiag.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-diag events emit}: writes one event file and prints its path. */
@Command(
        name = "emit",
        mixinStandardHelpOptions = true,
        description = {
            "Write one event file under <events-dir>/YYYY-MM-DD/<node>/ and print its path.",
            "The file appears complete or not at all."
        })
final class EmitEventCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final CliContext context;

    @Option(names = "--type", required = true, description = "Event type, e.g. ha_websocket_dead or deployment_started.")
    String type;

    @Option(names = "--severity", required = true, description = "One of info, warning, error, critical.")
    String severity;

    @Option(names = "--source", required = true, description = "Component emitting the event, e.g. deploy.sh.")
    String source;

    @Option(names = "--service", required = true, description = "Service the event is about, or all.")
    String service;

    @Option(names = "--correlation-id", required = true, description = "Links related events, e.g. a deployment run id.")
    String correlationId;

    @Option(names = "--payload", defaultValue = "{}", description = "A JSON object with event-specific data (default: ${DEFAULT-VALUE}).")
    String payload;

    @Mixin
    EventTreeOptions tree = new EventTreeOptions();

    @Option(names = "--node", description = "Node the event comes from (env NODE_NAME, default: the host name).")
    String node;

    EmitEventCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Settings settings = tree.settings(context);
        Severity parsedSeverity;
        try {
            parsedSeverity = Severity.fromWireName(severity);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--severity: " + e.getMessage());
        }
        Event event = Event.of(context.clock().instant(), settings.node(node), type, parsedSeverity, source,
                service, correlationId, parsePayload(payload));
        Path file = FileSystemEventSink.open(settings.eventsDirectory(tree.eventsDir)).write(event);
        context.out().println(file);
        return ExitCodes.OK;
    }

    private static Map<String, Object> parsePayload(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new UsageException("--payload is not valid JSON: " + e.getOriginalMessage() + where);
        }
        if (node == null || !node.isObject()) {
            throw new UsageException("--payload must be a JSON object, e.g. '{\"error\": \"OOM\"}'");
        }
        return JSON.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }
}
