package dev.hadiag.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hadiag.core.diagnostics.AlertListing;
import dev.hadiag.core.diagnostics.ReportJson;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.events.fs.EventJson;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ha-diag alerts [show CORRELATION_ID]}: the agent's open alerts, read from its database and events tree as
 * {@code silence list} reads them (whether or not the agent runs), and one incident's history from the tree.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = {"The open alerts: severity, since, type, whether silenced, held or acknowledged, correlation id, summary.",
            "'alerts show CORRELATION_ID': one incident's events, oldest first."},
        subcommands = {AlertsCommand.Show.class})
final class AlertsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final CliContext context;

    @Option(names = "--db", paramLabel = "FILE", description = "The agent's database (default: db_path of the config, env HA_DIAG_DB,"
            + " else /data/ha_diag.db).")
    String db;

    @Option(names = "--events-dir", paramLabel = "DIR", description = "Events root (default: events_dir of the config, env "
            + "HA_DIAG_EVENTS_DIR, else /opt/homelab/events).")
    String eventsDir;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--json", description = "Print the GET /alerts shape.")
    boolean json;

    AlertsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Instant now = context.clock().instant();
        SilenceCommand.Database database = new SilenceCommand.Database();
        database.db = db;
        database.config = config;
        Path tree = new Settings(config.file, context).eventsDirectory(eventsDir);
        List<AlertListing.Listed> listed;
        try (SqliteDiagnosticStore store = database.open(context)) {
            listed = AlertListing.list(store.allOpenAlerts(), store.withheld(), store.silences(), Map.of(), new FileSystemEventLog(tree), now);
        }
        PrintWriter out = context.out();
        if (json) {
            print(out, Map.of("alerts", listed.stream().map(ReportJson::listed).toList()));
            return ExitCodes.OK;
        }
        if (listed.isEmpty()) {
            out.println("no open alerts");
        }
        for (AlertListing.Listed alert : listed) {
            out.println(alert.severity().wireName() + "\tsince " + alert.since() + "\t" + alert.alert().type().type() + "\t" + state(alert)
                    + "\t" + alert.alert().correlationId() + "\t" + (alert.summary().isEmpty() ? alert.alert().alertKey() : alert.summary()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Reported, silenced (by which silence, until when), held by the storm guard, or acknowledged. */
    static String state(AlertListing.Listed alert) {
        if (alert.acknowledged()) {
            return "acknowledged";
        }
        if (!alert.silencedBy().isEmpty()) {
            return "silenced (silence " + alert.silencedBy().get(0).id() + " until " + alert.silencedBy().get(0).endsAt() + ")";
        }
        return alert.heldReason().map(reason -> "held (" + reason + ")").orElse("reported");
    }

    private static void print(PrintWriter out, Object body) {
        try {
            out.println(JSON.writeValueAsString(body));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One incident's events from the events tree, oldest first.")
    static final class Show implements Callable<Integer> {
        private final CliContext context;

        @Parameters(paramLabel = "CORRELATION_ID", description = "The incident's correlation id (see 'ha-diag alerts').")
        String correlationId;

        @Option(names = "--events-dir", paramLabel = "DIR", description = "Events root (env HA_DIAG_EVENTS_DIR, default /opt/homelab/events).")
        String eventsDir;

        @Mixin
        ConfigFileOption config = new ConfigFileOption();

        @Option(names = "--json", description = "One JSON object per line, fields as in the event files.")
        boolean json;

        Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Path tree = new Settings(config.file, context).eventsDirectory(eventsDir);
            List<Event> events;
            try (Stream<Event> found = new FileSystemEventLog(tree).find(EventQuery.all().withCorrelationIds(Set.of(correlationId)))) {
                events = found.sorted(java.util.Comparator.comparing(Event::timestamp)).toList();
            }
            if (events.isEmpty()) {
                throw new UsageException("no event with correlation id " + correlationId + " under " + tree.toAbsolutePath()
                        + " (see 'ha-diag alerts' for the open ones, 'ha-diag events list' for every event)");
            }
            PrintWriter out = context.out();
            for (Event event : events) {
                if (json) {
                    out.println(EventJson.toJsonLine(event));
                } else {
                    Object summary = event.payload().get("summary");
                    out.println(EventJson.TIMESTAMP.format(event.timestamp()) + "\t" + event.node() + "\t" + event.severity().wireName() + "\t"
                            + event.type() + "\t" + (summary instanceof String text ? text : ""));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
