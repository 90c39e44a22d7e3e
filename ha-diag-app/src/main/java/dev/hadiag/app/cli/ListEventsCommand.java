package dev.hadiag.app.cli;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.EventJson;
import dev.hadiag.events.fs.FileSystemEventLog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-diag events list}: prints events oldest first, as a table or as JSON lines. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List events oldest first, as a table or one JSON object per line (--json).",
            "Files that are not valid events are skipped with a warning on stderr."
        })
final class ListEventsCommand implements Callable<Integer> {

    private static final int PAYLOAD_WIDTH = 60;

    private final CliContext context;

    @Option(names = "--since", description = "Only events at or after: 2026-06-03, 2026-06-03T17:00:00Z, or an age like 24h.")
    String since;

    @Option(names = "--until", description = "Only events before: an instant, or a date (that whole day is included), or an age.")
    String until;

    @Option(names = "--node", description = "Only events of this node; repeatable (default: NODE_NAME if set, else every node).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--all-nodes", description = "Every node, even when NODE_NAME is set.")
    boolean allNodes;

    @Option(names = "--type", description = "Only events of this type; repeatable.")
    List<String> types = new ArrayList<>();

    @Option(names = "--severity", description = "Only events of this severity (info, warning, error, critical); repeatable.")
    List<String> severities = new ArrayList<>();

    @Option(names = "--correlation-id", description = "Only events with this correlation id; repeatable.")
    List<String> correlationIds = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per line, fields as in the event files.")
    boolean json;

    @Mixin
    EventTreeOptions tree = new EventTreeOptions();

    ListEventsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Settings settings = tree.settings(context);
        EventQuery query = query(settings);
        FileSystemEventLog log = new FileSystemEventLog(settings.eventsDirectory(tree.eventsDir));
        PrintWriter out = context.out();
        try (Stream<Event> events = log.find(query)) {
            if (json) {
                events.forEach(event -> out.println(EventJson.toJsonLine(event)));
            } else {
                out.println(row("TIMESTAMP", "NODE", "SEVERITY", "TYPE", "CORRELATION_ID", "PAYLOAD"));
                events.forEach(event -> out.println(row(EventJson.TIMESTAMP.format(event.timestamp()), event.node(),
                        event.severity().wireName(), event.type(), event.correlationId(), summary(event))));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private EventQuery query(Settings settings) {
        Instant now = context.clock().instant();
        Instant from = since == null ? Instant.MIN : TimeArgument.start("--since", since, now);
        Instant to = until == null ? Instant.MAX : TimeArgument.end("--until", until, now);
        if (from.isAfter(to)) {
            throw new UsageException("--since (" + from + ") is after --until (" + to + ")");
        }
        Set<String> nodeFilter = new LinkedHashSet<>(nodes);
        if (nodeFilter.isEmpty() && !allNodes) {
            settings.configuredNode().ifPresent(nodeFilter::add);
        }
        Set<Severity> severityFilter = new LinkedHashSet<>();
        for (String severity : severities) {
            try {
                severityFilter.add(Severity.fromWireName(severity));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--severity: " + e.getMessage());
            }
        }
        return EventQuery.all().withSince(from).withUntil(to).withNodes(nodeFilter).withTypes(Set.copyOf(types)).withSeverities(severityFilter)
                .withCorrelationIds(Set.copyOf(correlationIds));
    }

    private static String row(String timestamp, String node, String severity, String type, String correlationId, String payload) {
        return String.format("%-24s  %-16s  %-8s  %-28s  %-24s  %s", timestamp, node, severity, type, correlationId, payload).stripTrailing();
    }

    private static String summary(Event event) {
        String payload = compact(event);
        return payload.length() > PAYLOAD_WIDTH ? payload.substring(0, PAYLOAD_WIDTH - 1) + "…" : payload;
    }

    private static String compact(Event event) {
        StringBuilder text = new StringBuilder();
        event.payload().forEach((key, value) -> text.append(text.length() == 0 ? "" : " ").append(key).append('=').append(value));
        return text.toString().replaceAll("\\p{Cntrl}", " ");
    }
}
