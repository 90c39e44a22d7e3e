package dev.hadiag.store.sqlite;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.stale.ReportingProfile;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link DiagnosticStore} in one SQLite file: WAL journal (readers never block the writer), a busy
 * timeout for other processes holding the lock, and a versioned schema ({@code PRAGMA user_version})
 * migrated forward on open. A file from a newer ha-diag, or one that is not a SQLite database, is refused
 * with an error naming it: the store never resets what it cannot read.
 */
public final class SqliteDiagnosticStore implements DiagnosticStore, ReportingHistory, SilenceStore, AutoCloseable {

    /** The schema version this code writes; each entry of {@link #MIGRATIONS} moves one version up. */
    public static final int SCHEMA_VERSION = 6;
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    "CREATE TABLE entity_baseline (scope TEXT NOT NULL, key TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,"
                            + " PRIMARY KEY (scope, key))",
                    "CREATE TABLE alerts_sent (id INTEGER PRIMARY KEY, alert_key TEXT NOT NULL, check_name TEXT NOT NULL,"
                            + " type TEXT NOT NULL, correlation_id TEXT NOT NULL, opened_at_ms INTEGER NOT NULL,"
                            + " last_sent_at_ms INTEGER NOT NULL, entities TEXT NOT NULL, resolved_at_ms INTEGER)",
                    "CREATE UNIQUE INDEX alerts_open_by_key ON alerts_sent (alert_key) WHERE resolved_at_ms IS NULL",
                    "CREATE TABLE check_history (id INTEGER PRIMARY KEY, check_name TEXT NOT NULL, started_at_ms INTEGER NOT NULL,"
                            + " duration_ms INTEGER NOT NULL, status TEXT NOT NULL, findings INTEGER NOT NULL, reason TEXT NOT NULL)",
                    "CREATE INDEX check_history_by_check ON check_history (check_name, started_at_ms)"),
            // 2: intents (an alert event about to be written, so a crash can be reconciled with the files) and
            // absorbed_by on resolved alerts (an absorbed alert that shows again keeps its correlation id).
            List.of(
                    "ALTER TABLE alerts_sent ADD COLUMN absorbed_by TEXT",
                    "CREATE INDEX alerts_by_key ON alerts_sent (alert_key, id)",
                    "CREATE TABLE alert_intents (alert_key TEXT PRIMARY KEY, kind TEXT NOT NULL, check_name TEXT NOT NULL,"
                            + " type TEXT NOT NULL, correlation_id TEXT NOT NULL, opened_at_ms INTEGER NOT NULL,"
                            + " last_sent_at_ms INTEGER NOT NULL, entities TEXT NOT NULL, at_ms INTEGER NOT NULL, absorbed_by TEXT NOT NULL)"),
            // 3: the learned reporting gaps of the entities the stale check watches (issue 15).
            SqliteReportingHistory.MIGRATION,
            // 4: silences and the openings they held back (issue 16).
            SilenceTables.MIGRATION,
            // 5: one record of what was withheld, the storm guard's and silences' alike (issue 25).
            WithheldTable.MIGRATION,
            // 6: what the ha_log_errors check has counted of HA's log (issue 27).
            LogErrorTable.MIGRATION);
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    private final Path file;
    private final Connection connection;
    private final SilenceTables silenceTables;
    private final WithheldTable withheldTable;
    private final LogErrorTable logErrorTable;

    private SqliteDiagnosticStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.silenceTables = new SilenceTables(connection, this::failure);
        this.withheldTable = new WithheldTable(connection, this::failure);
        this.logErrorTable = new LogErrorTable(connection, this::failure);
    }

    /**
     * Opens (creating if missing) the database and migrates it to the current schema.
     *
     * @throws DiagnosticStoreException naming the file when it cannot be opened, is not a SQLite
     *                                  database, or was written by a newer version
     */
    public static SqliteDiagnosticStore open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new DiagnosticStoreException("database " + absolute + ": cannot create its directory: " + e.getMessage(), e);
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
        } catch (SQLException e) {
            throw new DiagnosticStoreException("database " + absolute + " cannot be opened: " + e.getMessage(), e);
        }
        SqliteDiagnosticStore store = new SqliteDiagnosticStore(absolute, connection);
        try {
            store.prepare();
            return store;
        } catch (SQLException e) {
            store.close();
            throw new DiagnosticStoreException("database " + absolute + " is not a usable SQLite database (" + e.getMessage()
                    + "); move it aside to start with an empty one", e);
        } catch (DiagnosticStoreException e) {
            store.close();
            throw e;
        }
    }

    private void prepare() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new DiagnosticStoreException("database " + file + " has schema version " + version + ", written by a newer ha-diag;"
                        + " this version knows up to " + SCHEMA_VERSION + ". Upgrade ha-diag or point HA_DIAG_DB at another file", null);
            }
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = NORMAL");
            connection.setAutoCommit(false);
            try {
                for (int next = version; next < SCHEMA_VERSION; next++) {
                    for (String sql : MIGRATIONS.get(next)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + (next + 1));
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            // Read the alert tables through, which every run needs: a file damaged there fails here, at start, not
            // in the middle of a check. Damage elsewhere shows on first use, as an exception naming the file.
            statement.executeQuery("SELECT count(*) FROM alerts_sent").close();
            statement.executeQuery("SELECT count(*) FROM alert_intents").close();
            statement.executeQuery("SELECT count(*) FROM entity_reporting").close();
            statement.executeQuery("SELECT count(*) FROM silences").close();
            statement.executeQuery("SELECT count(*) FROM withheld").close();
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized List<OpenAlert> allOpenAlerts() {
        return queryAlerts("SELECT * FROM alerts_sent WHERE resolved_at_ms IS NULL ORDER BY id");
    }

    @Override
    public synchronized Optional<OpenAlert> openAlert(String alertKey) {
        return queryAlerts("SELECT * FROM alerts_sent WHERE resolved_at_ms IS NULL AND alert_key = ?", alertKey).stream().findFirst();
    }

    @Override
    public synchronized void saveOpenAlert(OpenAlert alert) {
        inTransaction(() -> upsertOpen(alert));
    }

    private void upsertOpen(OpenAlert alert) throws SQLException {
        int updated = update("UPDATE alerts_sent SET check_name = ?, type = ?, correlation_id = ?, opened_at_ms = ?, last_sent_at_ms = ?,"
                + " entities = ? WHERE alert_key = ? AND resolved_at_ms IS NULL", alert.check(), alert.type().name(),
                alert.correlationId(), alert.openedAt().toEpochMilli(), alert.lastSentAt().toEpochMilli(),
                String.join("\n", alert.entities()), alert.alertKey());
        if (updated == 0) {
            update("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", alert.alertKey(), alert.check(), alert.type().name(), alert.correlationId(),
                    alert.openedAt().toEpochMilli(), alert.lastSentAt().toEpochMilli(), String.join("\n", alert.entities()));
        }
    }

    @Override
    public synchronized void closeAlert(String alertKey, Instant resolvedAt) {
        inTransaction(() -> update("UPDATE alerts_sent SET resolved_at_ms = ? WHERE alert_key = ? AND resolved_at_ms IS NULL",
                resolvedAt.toEpochMilli(), alertKey));
    }

    @Override
    public synchronized void recordIntents(List<AlertIntent> intents) {
        if (intents.isEmpty()) {
            return;
        }
        // A full fsync for this one commit: an intent lost to a power cut would let a written event go unmatched.
        pragma("PRAGMA synchronous = FULL");
        try {
            inTransaction(() -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO alert_intents (alert_key, kind, check_name,"
                        + " type, correlation_id, opened_at_ms, last_sent_at_ms, entities, at_ms, absorbed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (AlertIntent intent : intents) {
                        OpenAlert alert = intent.alert();
                        insert.setString(1, alert.alertKey());
                        insert.setString(2, intent.kind().name());
                        insert.setString(3, alert.check());
                        insert.setString(4, alert.type().name());
                        insert.setString(5, alert.correlationId());
                        insert.setLong(6, alert.openedAt().toEpochMilli());
                        insert.setLong(7, alert.lastSentAt().toEpochMilli());
                        insert.setString(8, String.join("\n", alert.entities()));
                        insert.setLong(9, intent.at().toEpochMilli());
                        insert.setString(10, intent.absorbedBy());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            });
        } finally {
            pragma("PRAGMA synchronous = NORMAL");
        }
    }

    @Override
    public synchronized List<AlertIntent> intents() {
        List<AlertIntent> intents = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM alert_intents ORDER BY at_ms, alert_key");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                intents.add(new AlertIntent(AlertIntent.Kind.valueOf(rs.getString("kind")), alertOf(rs),
                        Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("absorbed_by")));
            }
        } catch (SQLException e) {
            throw failure("read intents", e);
        } catch (IllegalArgumentException e) {
            throw new DiagnosticStoreException("database " + file + " holds an intent this version cannot read: " + e.getMessage(), e);
        }
        return intents;
    }

    @Override
    public synchronized void markSent(AlertIntent intent) {
        OpenAlert alert = intent.alert();
        inTransaction(() -> {
            if (intent.kind() == AlertIntent.Kind.RESOLVE) {
                update("UPDATE alerts_sent SET resolved_at_ms = ?, absorbed_by = ? WHERE alert_key = ? AND resolved_at_ms IS NULL",
                        intent.at().toEpochMilli(), intent.absorbedBy().isEmpty() ? null : intent.absorbedBy(), alert.alertKey());
            } else {
                upsertOpen(alert);
            }
            withheldTable.endWith(intent);
            update("DELETE FROM alert_intents WHERE alert_key = ? AND kind = ? AND correlation_id = ? AND at_ms = ?", alert.alertKey(),
                    intent.kind().name(), alert.correlationId(), intent.at().toEpochMilli());
        });
    }

    // --- withheld events: WithheldTable; silences: SilenceTables ---

    @Override
    public synchronized void withhold(List<Withheld> withheld) {
        if (!withheld.isEmpty()) {
            inTransaction(() -> withheldTable.withhold(withheld));
        }
    }

    @Override
    public synchronized List<Withheld> withheld() {
        return withheldTable.read(null);
    }

    @Override
    public synchronized List<Withheld> withheld(Class<? extends Withheld.Reason> reason) {
        return withheldTable.read(reason);
    }

    @Override
    public synchronized Optional<Withheld> acknowledge(String alertKey, Instant at) {
        inTransaction(() -> {
            // A record another incident of the key left behind is no record of this one.
            update("DELETE FROM withheld WHERE alert_key = ? AND correlation_id NOT IN (SELECT correlation_id FROM alerts_sent"
                    + " WHERE alert_key = ? AND resolved_at_ms IS NULL)", alertKey, alertKey);
            update("INSERT OR IGNORE INTO withheld (alert_key, correlation_id, reason, since_ms) SELECT alert_key, correlation_id, ?, ?"
                    + " FROM alerts_sent WHERE alert_key = ? AND resolved_at_ms IS NULL", WithheldTable.ACKNOWLEDGED, at.toEpochMilli(), alertKey);
        });
        return withheldTable.read(null).stream().filter(w -> w.alertKey().equals(alertKey)).findFirst();
    }

    @Override
    public synchronized void forgetWithheld(Collection<String> alertKeys) {
        if (!alertKeys.isEmpty()) {
            inTransaction(() -> withheldTable.forget(alertKeys));
        }
    }

    @Override
    public synchronized Silence addSilence(NewSilence silence) {
        long[] id = new long[1];
        inTransaction(() -> id[0] = silenceTables.add(silence));
        return silence(id[0]).orElseThrow();
    }

    @Override
    public synchronized List<Silence> silences() {
        return silenceTables.silences("");
    }

    @Override
    public synchronized Optional<Silence> silence(long id) {
        return silenceTables.silences(" WHERE id = " + id).stream().findFirst();
    }

    @Override
    public synchronized Optional<Silence> expireSilence(long id, Instant at) {
        inTransaction(() -> update("UPDATE silences SET ends_at_ms = ?, expired_early = 1 WHERE id = ? AND ends_at_ms > ?",
                at.toEpochMilli(), id, at.toEpochMilli()));
        return silence(id);
    }

    @Override
    public synchronized void markSilenceStartAnnounced(long id) {
        inTransaction(() -> update("UPDATE silences SET start_announced = 1 WHERE id = ?", id));
    }

    @Override
    public synchronized void markSilenceEndAnnounced(long id) {
        inTransaction(() -> update("UPDATE silences SET end_announced = 1 WHERE id = ?", id));
    }

    @Override
    public synchronized void pruneSilences(Instant before) {
        inTransaction(() -> update("DELETE FROM silences WHERE end_announced = 1 AND ends_at_ms < ?", before.toEpochMilli()));
    }

    @Override
    public synchronized void dropIntent(String alertKey) {
        inTransaction(() -> update("DELETE FROM alert_intents WHERE alert_key = ?", alertKey));
    }

    @Override
    public synchronized Optional<AbsorbedAlert> lastAbsorbed(String alertKey) {
        try (PreparedStatement select = prepared("SELECT correlation_id, resolved_at_ms, absorbed_by FROM alerts_sent WHERE alert_key = ?"
                + " ORDER BY id DESC LIMIT 1", alertKey); ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                long resolved = rs.getLong(2);
                boolean wasResolved = !rs.wasNull();
                String absorbedBy = rs.getString(3);
                if (wasResolved && absorbedBy != null) {
                    return Optional.of(new AbsorbedAlert(alertKey, rs.getString(1), Instant.ofEpochMilli(resolved), absorbedBy));
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw failure("read resolved alerts", e);
        }
    }

    // --- what a run remembers for the next: one table of (scope, key) → instant, each use its own scope ---

    private static final String UNAVAILABLE_SCOPE = "entity";
    private static final String PENDING_SCOPE = "pending:";
    private static final String REPAIRS_SCOPE = "repair_attached";
    private static final String FLAPPING_SCOPE = "flapping";
    private static final String RECONCILED_SCOPE = "agent:events-reconciled";
    private static final String RECONCILED_KEY = "through";
    /** Between a repair attachment's alert key and its issue: neither an alert key nor {@code domain/issue_id} holds one. */
    private static final char ATTACHMENT_SEPARATOR = '|';

    @Override
    public synchronized Map<String, Instant> unavailableSince() {
        return times(UNAVAILABLE_SCOPE);
    }

    @Override
    public synchronized void replaceUnavailableSince(Map<String, Instant> since) {
        replaceTimes(UNAVAILABLE_SCOPE, since);
    }

    @Override
    public synchronized Map<String, Instant> pendingCauses(String check) {
        return times(PENDING_SCOPE + check);
    }

    @Override
    public synchronized void replacePendingCauses(String check, Map<String, Instant> pending) {
        replaceTimes(PENDING_SCOPE + check, pending);
    }

    @Override
    public synchronized Map<RepairAttachment, Instant> repairAttachments() {
        Map<RepairAttachment, Instant> attachments = new HashMap<>();
        times(REPAIRS_SCOPE).forEach((key, since) -> {
            int at = key.indexOf(ATTACHMENT_SEPARATOR);
            if (at > 0 && at < key.length() - 1) {
                attachments.put(new RepairAttachment(key.substring(0, at), key.substring(at + 1)), since);
            }
        });
        return attachments;
    }

    @Override
    public synchronized void replaceRepairAttachments(Map<RepairAttachment, Instant> attachments) {
        Map<String, Instant> rows = new HashMap<>();
        attachments.forEach((a, since) -> rows.put(a.alertKey() + ATTACHMENT_SEPARATOR + a.issue(), since));
        replaceTimes(REPAIRS_SCOPE, rows);
    }

    @Override
    public synchronized Map<String, Instant> flapMemory() {
        return times(FLAPPING_SCOPE);
    }

    @Override
    public synchronized void replaceFlapMemory(Map<String, Instant> memory) {
        replaceTimes(FLAPPING_SCOPE, memory);
    }

    @Override
    public synchronized LogErrorMemory logErrorMemory() {
        return logErrorTable.read();
    }

    @Override
    public synchronized void replaceLogErrorMemory(LogErrorMemory memory) {
        inTransaction(() -> logErrorTable.replace(memory));
    }

    @Override
    public synchronized Optional<Instant> reconciledThrough() {
        return Optional.ofNullable(times(RECONCILED_SCOPE).get(RECONCILED_KEY));
    }

    @Override
    public synchronized void recordReconciledThrough(Instant through) {
        replaceTimes(RECONCILED_SCOPE, Map.of(RECONCILED_KEY, through));
    }

    private Map<String, Instant> times(String scope) {
        Map<String, Instant> result = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT key, first_seen_ms FROM entity_baseline WHERE scope = ?")) {
            select.setString(1, scope);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("read first-seen times", e);
        }
        return result;
    }

    private void replaceTimes(String scope, Map<String, Instant> firstSeen) {
        // Only the rows that changed are written, and nothing (no transaction, no fsync) when none did: with
        // 5,000 entities down, rewriting all of them every cycle cost 14-25 ms (docs/performance.md, figure 9).
        Map<String, Instant> stored = times(scope);
        List<String> gone = stored.keySet().stream().filter(key -> !firstSeen.containsKey(key)).toList();
        List<Map.Entry<String, Instant>> changed = firstSeen.entrySet().stream()
                .filter(e -> !stored.containsKey(e.getKey()) || stored.get(e.getKey()).toEpochMilli() != e.getValue().toEpochMilli())
                .toList();
        if (gone.isEmpty() && changed.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM entity_baseline WHERE scope = ? AND key = ?");
                    PreparedStatement upsert = connection.prepareStatement(
                            "INSERT OR REPLACE INTO entity_baseline (scope, key, first_seen_ms) VALUES (?, ?, ?)")) {
                for (String key : gone) {
                    delete.setString(1, scope);
                    delete.setString(2, key);
                    delete.addBatch();
                }
                delete.executeBatch();
                for (Map.Entry<String, Instant> entry : changed) {
                    upsert.setString(1, scope);
                    upsert.setString(2, entry.getKey());
                    upsert.setLong(3, entry.getValue().toEpochMilli());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    @Override
    public synchronized void recordCheckRun(CheckRun run) {
        inTransaction(() -> update("INSERT INTO check_history (check_name, started_at_ms, duration_ms, status, findings, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?)", run.check(), run.startedAt().toEpochMilli(), run.duration().toMillis(), run.status().wire(),
                run.findings(), run.reason()));
    }

    @Override
    public synchronized void pruneHistory(Instant before) {
        inTransaction(() -> {
            update("DELETE FROM check_history WHERE started_at_ms < ?", before.toEpochMilli());
            update("DELETE FROM alerts_sent WHERE resolved_at_ms IS NOT NULL AND resolved_at_ms < ?", before.toEpochMilli());
            update("DELETE FROM alert_intents WHERE at_ms < ?", before.toEpochMilli());
        });
    }

    // --- the learned reporting gaps (issue 15): the SQL is in SqliteReportingHistory ---

    @Override
    public synchronized Map<String, ReportingProfile> reportingProfiles() {
        try {
            return SqliteReportingHistory.read(connection);
        } catch (SQLException e) {
            throw failure("read the reporting profiles", e);
        } catch (IllegalArgumentException e) {
            throw new DiagnosticStoreException("database " + file + " holds a reporting profile this version cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void saveReportingProfiles(Collection<ReportingProfile> changed, Collection<String> forgotten) {
        inTransaction(() -> SqliteReportingHistory.write(connection, changed, forgotten));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    private List<OpenAlert> queryAlerts(String sql, Object... parameters) {
        List<OpenAlert> alerts = new ArrayList<>();
        try (PreparedStatement select = prepared(sql, parameters); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                alerts.add(alertOf(rs));
            }
        } catch (SQLException e) {
            throw failure("read open alerts", e);
        } catch (IllegalArgumentException e) {
            throw new DiagnosticStoreException("database " + file + " holds an alert this version cannot read: " + e.getMessage(), e);
        }
        return alerts;
    }

    private static OpenAlert alertOf(ResultSet rs) throws SQLException {
        String entities = rs.getString("entities");
        return new OpenAlert(rs.getString("alert_key"), rs.getString("check_name"), AlertType.valueOf(rs.getString("type")),
                rs.getString("correlation_id"), Instant.ofEpochMilli(rs.getLong("opened_at_ms")),
                Instant.ofEpochMilli(rs.getLong("last_sent_at_ms")),
                entities.isEmpty() ? List.of() : Arrays.asList(entities.split("\n")));
    }

    private void pragma(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure("set " + sql, e);
        }
    }

    private PreparedStatement prepared(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepared(sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    DiagnosticStoreException failure(String what, SQLException e) {
        return new DiagnosticStoreException("database " + file + ": could not " + what + ": " + e.getMessage(), e);
    }
}
