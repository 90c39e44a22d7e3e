package dev.hadiag.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.app.agent.DiagnosticsFactory;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.files.DatabaseFile;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.diagnostics.ReportJson;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Runs checks once against Home Assistant and prints a report.",
                "Exit codes follow the Nagios plugin convention: 0 ok, 1 warning, 2 error, 3 could not check "
                        + "(invalid configuration, unknown check, a check skipped or failed)."})
final class CheckCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int UNKNOWN = PluginOutput.UNKNOWN;

    private final CliContext context;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "checks to run (default: every enabled check): "
            + "heartbeat, unavailable_entities, system_health, automation_failures, updates_available, recorder, repairs, "
            + "stale_entities, flapping, low_batteries, backups, ha_log_errors")
    List<String> names = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object instead of the report")
    boolean json;

    @Option(names = "--no-emit", description = "write no event and leave the agent's database untouched (a dry run)")
    boolean noEmit;

    @Option(names = "--agent", paramLabel = "URL", description = "print a running agent's latest results (its GET /reports, "
            + "e.g. http://127.0.0.1:8087) instead of running the checks: no call to Home Assistant, no configuration needed")
    String agentUrl;

    @Option(names = "--trigger", description = "with --agent: the agent runs the named checks now (its POST /trigger/NAME; "
            + "HA_DIAG_API_TOKEN is sent as the bearer token when set) and their new results are printed")
    boolean trigger;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (agentUrl != null) {
            return fromAgent();
        }
        if (trigger) {
            context.out().println(PluginOutput.unknown("usage: --trigger needs --agent URL"));
            context.err().println("check: --trigger asks a running agent: give its URL with --agent (e.g. http://127.0.0.1:8087)");
            return UNKNOWN;
        }
        AgentConfig loaded;
        try {
            loaded = ConfigLoader.load(context.env(), config.file, HostName::get);
        } catch (ConfigException e) {
            context.out().println(PluginOutput.unknown("invalid configuration: " + PluginOutput.count(e.problems().size(), "problem")
                    + ", first: " + e.problems().get(0)));
            ConfigErrors.print("check", e, context);
            return UNKNOWN;
        }
        List<String> selected = names.isEmpty()
                // flapping is seen on the live stream only, which a one-shot check does not have: run it when named
                ? BuiltInCheck.names().stream().filter(n -> loaded.check(n).enabled() && !n.equals(BuiltInCheck.FLAPPING.wire())).toList()
                : List.copyOf(names);
        List<String> unknown = selected.stream().filter(n -> !BuiltInCheck.names().contains(n)).toList();
        if (!unknown.isEmpty()) {
            String message = "unknown check " + String.join(", ", unknown) + "; checks are " + String.join(", ", BuiltInCheck.names());
            context.out().println(PluginOutput.unknown(message));
            context.err().println("check: " + message);
            return UNKNOWN;
        }
        List<String> ordered = BuiltInCheck.names().stream().filter(selected::contains).toList();

        List<CheckReport> reports = new ArrayList<>();
        int openAlerts;
        // A dry run writes nothing: its store lives in memory (a scratch SQLite file cost it ~90 ms of CPU).
        try (StoreHandle handle = noEmit ? new StoreHandle(new DryRunStore(), () -> { }) : StoreHandle.sqlite(openStore(loaded.dbPath(), context));
                OkHttpHomeAssistant ha = new OkHttpHomeAssistant(new HaClientSettings(loaded.haUrl(), loaded.haToken(),
                        HaClientSettings.DEFAULT_CONNECT_TIMEOUT, loaded.requestTimeout(), loaded.haCaCertificates()))) {
            EventSink sink = noEmit ? event -> { } : FileSystemEventSink.open(loaded.eventsDir());
            Diagnostics diagnostics = DiagnosticsFactory.create(loaded, ordered, ha, handle.store(), sink, context.clock());
            for (String name : ordered) {
                reports.add(diagnostics.run(name));
            }
            openAlerts = handle.store().allOpenAlerts().size();
        } catch (DiagnosticStoreException | EventSinkException e) {
            context.out().println(PluginOutput.unknown("cannot check: " + e.getMessage()));
            context.err().println("check: " + e.getMessage());
            return UNKNOWN;
        }

        int code = exitCode(reports);
        if (json) {
            context.out().println(JSON.writeValueAsString(Map.of("checks", reports.stream().map(ReportJson::report).toList())));
        } else {
            print(reports, code, openAlerts);
        }
        return code;
    }

    /** The store a run uses and how it is closed: the agent's SQLite file, or nothing to close for a dry run. */
    private record StoreHandle(DiagnosticStore store, Runnable closer) implements AutoCloseable {

        static StoreHandle sqlite(SqliteDiagnosticStore store) {
            return new StoreHandle(store, store::close);
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /** The agent's database, created (when missing) writable by the agent even when this runs as root. */
    private static SqliteDiagnosticStore openStore(Path file, CliContext context) {
        DatabaseFile.createLikeItsDirectory(file);
        dev.hadiag.app.files.DatabaseBackup.beforeMigration(file, context.clock()).ifPresent(backup ->
                context.err().println("check: " + file + " has an older schema: backed up to " + backup + " before migrating it"));
        return SqliteDiagnosticStore.open(file);
    }

    private int fromAgent() throws IOException {
        List<String> unknown = names.stream().filter(n -> !BuiltInCheck.names().contains(n)).toList();
        AgentReports.Latest latest;
        try {
            if (!unknown.isEmpty()) {
                throw new UsageException("unknown check " + String.join(", ", unknown) + "; checks are " + String.join(", ", BuiltInCheck.names()));
            }
            if (trigger && names.isEmpty()) {
                throw new UsageException("--trigger needs the names of the checks to run now, e.g. heartbeat");
            }
            latest = trigger ? triggered() : AgentReports.fetch(agentUrl);
        } catch (UsageException e) {
            context.out().println(PluginOutput.unknown(e.getMessage()));
            context.err().println("check: " + e.getMessage());
            return UNKNOWN;
        }
        List<CheckReport> reports = latest.reports().stream().filter(r -> names.isEmpty() || names.contains(r.check())).toList();
        if (reports.isEmpty()) {
            String message = "the agent has no result yet" + (names.isEmpty() ? "" : " for " + String.join(", ", names));
            context.out().println(PluginOutput.unknown(message));
            return UNKNOWN;
        }
        int code = exitCode(reports);
        if (json) {
            context.out().println(JSON.writeValueAsString(Map.of("checks", reports.stream().map(ReportJson::report).toList())));
        } else {
            print(reports, code, latest.openAlerts());
        }
        return code;
    }

    /** Runs the named checks in the agent, one after the other, then reads its open alerts for the status line. */
    private AgentReports.Latest triggered() {
        String apiToken = context.envValue("HA_DIAG_API_TOKEN").orElse("");
        List<CheckReport> reports = new ArrayList<>();
        for (String name : BuiltInCheck.names().stream().filter(names::contains).toList()) {
            reports.add(AgentReports.trigger(agentUrl, name, apiToken));
        }
        return new AgentReports.Latest(reports, AgentReports.fetch(agentUrl).openAlerts());
    }

    /** Nagios: critical over warning over unknown over ok. */
    static int exitCode(List<CheckReport> reports) {
        int code = ExitCodes.OK;
        for (CheckReport report : reports) {
            int own = switch (report.status()) {
                case OK -> 0;
                case WARNING -> 1;
                case ERROR -> 2;
                case SKIPPED, FAILED -> UNKNOWN;
            };
            code = rank(own) > rank(code) ? own : code;
        }
        return code;
    }

    private static int rank(int code) {
        return switch (code) {
            case 2 -> 3;
            case 1 -> 2;
            case 3 -> 1;
            default -> 0;
        };
    }

    private void print(List<CheckReport> reports, int code, int openAlerts) {
        context.out().println(PluginOutput.statusLine(code, reports, openAlerts));
        int width = reports.stream().mapToInt(r -> r.check().length()).max().orElse(10);
        for (CheckReport report : reports) {
            String text = !report.reason().isEmpty() ? report.reason() : report.note();
            context.out().printf("  %-" + width + "s  %-7s  %s%n", report.check(), report.status().wire(), text);
            for (Finding finding : report.findings()) {
                context.out().printf("  %-" + width + "s    - %s: %s%n", "", finding.severity().wireName(), finding.summary());
            }
        }
    }
}
