package dev.hadiag.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.silence.InvalidSilenceException;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceJson;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ha-diag silence add|list|expire}: silences in the agent's database, written directly, so they work whether or
 * not an agent runs; a running agent acts on them within a second (and writes their start and end events).
 */
@Command(
        name = "silence",
        mixinStandardHelpOptions = true,
        description = "Silence alerts for a while: they are still tracked, but write no event until the silence ends.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
final class SilenceCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, list or expire");
    }

    /** Where the database is: {@code --db}, else the agent's {@code db_path}. */
    static class Database {
        @Option(names = "--db", paramLabel = "FILE", description = "The agent's database (default: db_path of the config, env HA_DIAG_DB,"
                + " else /data/ha_diag.db).")
        String db;

        @Mixin
        ConfigFileOption config = new ConfigFileOption();

        /**
         * The agent's database, which must exist: a silence written into a new file is one the agent never sees (a CLI
         * that did not find the agent's database created one and returned 0).
         */
        SqliteDiagnosticStore open(CliContext context) {
            Path file = db != null ? Path.of(db) : ConfigLoader.dbPath(context.env(), config.file);
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no agent database at " + file.toAbsolutePath() + " (from " + (db != null ? "--db"
                        : "db_path: env HA_DIAG_DB, the config file's db_path, else the default") + "): silences live in the "
                        + "running agent's database (as its open alerts); name it with --db or HA_DIAG_DB (the systemd unit's is "
                        + "/var/lib/ha-diag-agent/ha_diag.db, which /opt/ha-diag/ha-diag finds by itself)");
            }
            dev.hadiag.app.files.DatabaseBackup.beforeMigration(file, context.clock()).ifPresent(backup ->
                    context.err().println("silence: " + file + " has an older schema: backed up to " + backup + " before migrating it"));
            return SqliteDiagnosticStore.open(file);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Silence the alerts all --match conditions match, from now on.",
        "Fields: type, alert_key, entity, device, integration, hub, label; globs use * and ?."})
    static final class Add implements Callable<Integer> {
        private final CliContext context;

        @CommandLine.Mixin
        Database database = new Database();

        @Option(names = "--match", required = true, paramLabel = "FIELD=GLOB", description = "e.g. entity=sensor.garage_* (repeat: all must match)")
        List<String> matches;

        @Option(names = "--for", paramLabel = "DURATION", description = "How long: 90s, 30m, 2h, 1d.")
        String duration;

        @Option(names = "--until", paramLabel = "INSTANT", description = "Or until when, e.g. 2026-11-24T18:00:00Z.")
        String until;

        @Option(names = "--comment", defaultValue = "", description = "Why (shown in the audit events).")
        String comment;

        @Option(names = "--created-by", description = "Who (default: $USER, else cli).")
        String createdBy;

        @Option(names = "--json", description = "Print the silence as JSON.")
        boolean json;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<SilenceMatcher> matchers = matches.stream().map(SilenceMatcher::parse).toList();
            Instant now = context.clock().instant();
            String who = createdBy != null ? createdBy : context.envValue("USER").orElse("cli");
            NewSilence silence;
            if (duration != null && until != null) {
                throw new InvalidSilenceException("--for", "give --for or --until, not both");
            } else if (duration != null) {
                silence = NewSilence.lasting(matchers, NewSilence.parseDuration(duration), now, comment, who);
            } else if (until != null) {
                try {
                    silence = NewSilence.until(matchers, Instant.parse(until), now, comment, who);
                } catch (DateTimeParseException e) {
                    throw new InvalidSilenceException("--until", "'" + until + "' is not an instant like 2026-11-24T18:00:00Z");
                }
            } else {
                throw new InvalidSilenceException("--for", "how long? give --for 2h or --until 2026-11-24T18:00:00Z");
            }
            try (SqliteDiagnosticStore store = database.open(context)) {
                Silence added = store.addSilence(silence);
                print(context, json, List.of(added), now, false);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The silences that are active (with --all: every one kept).")
    static final class ListSilences implements Callable<Integer> {
        private final CliContext context;

        @CommandLine.Mixin
        Database database = new Database();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = "--all", description = "Include the silences that have ended.")
        boolean all;

        ListSilences(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Instant now = context.clock().instant();
            try (SqliteDiagnosticStore store = database.open(context)) {
                List<Silence> shown = store.silences().stream().filter(s -> all || now.isBefore(s.endsAt())).toList();
                print(context, json, shown, now, true);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now.")
    static final class Expire implements Callable<Integer> {
        private final CliContext context;

        @CommandLine.Mixin
        Database database = new Database();

        @Parameters(paramLabel = "ID", description = "The silence's id (see silence list).")
        long id;

        Expire(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (SqliteDiagnosticStore store = database.open(context)) {
                Optional<Silence> expired = store.expireSilence(id, context.clock().instant());
                if (expired.isEmpty()) {
                    throw new UsageException("no silence with id " + id + " (see 'ha-diag silence list --all')");
                }
                context.out().println("silence " + id + " ends " + expired.get().endsAt());
            }
            return ExitCodes.OK;
        }
    }

    private static void print(CliContext context, boolean json, List<Silence> silences, Instant now, boolean asList) {
        if (json) {
            try {
                Object body = asList ? silences.stream().map(s -> SilenceJson.silence(s, now)).toList() : SilenceJson.silence(silences.get(0), now);
                context.out().println(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("could not write JSON", e);
            }
            return;
        }
        if (silences.isEmpty()) {
            context.out().println("no silences");
        }
        for (Silence s : silences) {
            context.out().println(s.id() + "\t" + s.stateAt(now) + "\tuntil " + s.endsAt() + "\t"
                    + String.join(" ", s.matchers().stream().map(SilenceMatcher::toString).toList())
                    + (s.comment().isEmpty() ? "" : "\t# " + s.comment()) + "\t(" + s.createdBy() + ")");
        }
    }
}
