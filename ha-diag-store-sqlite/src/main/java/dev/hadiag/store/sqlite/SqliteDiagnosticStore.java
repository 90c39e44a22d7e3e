package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.stale.ReportingProfile;
import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's one SQLite file ({@link SqliteDatabase}: connection, schema, migrations) and the three ports it keeps, each
 * in its own class: {@link DiagnosticStore} ({@link SqliteAlertStore}), {@link SilenceStore} ({@link SqliteSilenceStore})
 * and {@link ReportingHistory} ({@link SqliteReportingHistory}). This class only opens the file and hands each call to
 * its port, so the agent and the CLI open one file and pass one object.
 */
public final class SqliteDiagnosticStore implements DiagnosticStore, ReportingHistory, SilenceStore, AutoCloseable {

    /** The schema version this code writes; each entry of {@link #MIGRATIONS} moves one version up. */
    public static final int SCHEMA_VERSION = 6;
    /** The schema's history, oldest first: a new version is one more entry at the end (and {@link #SCHEMA_VERSION} + 1). */
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
    /** Read through on open, since every run needs them: a file damaged there fails at start, not in a check. */
    private static final List<String> READ_THROUGH = List.of("alerts_sent", "alert_intents", "entity_reporting", "silences", "withheld", "log_error_memory");

    static {
        if (MIGRATIONS.size() != SCHEMA_VERSION) {
            throw new IllegalStateException("SCHEMA_VERSION " + SCHEMA_VERSION + " but " + MIGRATIONS.size() + " migrations");
        }
    }

    private final SqliteDatabase database;
    private final SqliteAlertStore alerts;
    private final SqliteSilenceStore silences;
    private final SqliteReportingHistory reporting;

    private SqliteDiagnosticStore(SqliteDatabase database) {
        this.database = database;
        this.alerts = new SqliteAlertStore(database);
        this.silences = new SqliteSilenceStore(database);
        this.reporting = new SqliteReportingHistory(database);
    }

    /**
     * Opens (creating if missing) the database and migrates it to the current schema.
     *
     * @throws DiagnosticStoreException naming the file when it cannot be opened, is not a SQLite
     *                                  database, or was written by a newer version
     */
    public static SqliteDiagnosticStore open(Path file) {
        return new SqliteDiagnosticStore(SqliteDatabase.open(file, MIGRATIONS, READ_THROUGH));
    }

    public Path file() {
        return database.file();
    }

    @Override
    public void close() {
        database.close();
    }

    // --- DiagnosticStore: SqliteAlertStore ---

    @Override
    public List<OpenAlert> allOpenAlerts() {
        return alerts.allOpenAlerts();
    }

    @Override
    public Optional<OpenAlert> openAlert(String alertKey) {
        return alerts.openAlert(alertKey);
    }

    @Override
    public void saveOpenAlert(OpenAlert alert) {
        alerts.saveOpenAlert(alert);
    }

    @Override
    public void closeAlert(String alertKey, Instant resolvedAt) {
        alerts.closeAlert(alertKey, resolvedAt);
    }

    @Override
    public void recordIntents(List<AlertIntent> intents) {
        alerts.recordIntents(intents);
    }

    @Override
    public List<AlertIntent> intents() {
        return alerts.intents();
    }

    @Override
    public void markSent(AlertIntent intent) {
        alerts.markSent(intent);
    }

    @Override
    public void withhold(List<Withheld> withheld) {
        alerts.withhold(withheld);
    }

    @Override
    public List<Withheld> withheld() {
        return alerts.withheld();
    }

    @Override
    public List<Withheld> withheld(Class<? extends Withheld.Reason> reason) {
        return alerts.withheld(reason);
    }

    @Override
    public void forgetWithheld(Collection<String> alertKeys) {
        alerts.forgetWithheld(alertKeys);
    }

    @Override
    public Optional<Withheld> acknowledge(String alertKey, Instant at) {
        return alerts.acknowledge(alertKey, at);
    }

    @Override
    public void dropIntent(String alertKey) {
        alerts.dropIntent(alertKey);
    }

    @Override
    public Optional<AbsorbedAlert> lastAbsorbed(String alertKey) {
        return alerts.lastAbsorbed(alertKey);
    }

    @Override
    public Map<String, Instant> unavailableSince() {
        return alerts.unavailableSince();
    }

    @Override
    public void replaceUnavailableSince(Map<String, Instant> since) {
        alerts.replaceUnavailableSince(since);
    }

    @Override
    public Map<String, Instant> pendingCauses(String check) {
        return alerts.pendingCauses(check);
    }

    @Override
    public void replacePendingCauses(String check, Map<String, Instant> pending) {
        alerts.replacePendingCauses(check, pending);
    }

    @Override
    public Map<RepairAttachment, Instant> repairAttachments() {
        return alerts.repairAttachments();
    }

    @Override
    public void replaceRepairAttachments(Map<RepairAttachment, Instant> attachments) {
        alerts.replaceRepairAttachments(attachments);
    }

    @Override
    public Map<String, Instant> flapMemory() {
        return alerts.flapMemory();
    }

    @Override
    public void replaceFlapMemory(Map<String, Instant> memory) {
        alerts.replaceFlapMemory(memory);
    }

    @Override
    public Optional<Instant> reconciledThrough() {
        return alerts.reconciledThrough();
    }

    @Override
    public void recordReconciledThrough(Instant through) {
        alerts.recordReconciledThrough(through);
    }

    @Override
    public void recordCheckRun(CheckRun run) {
        alerts.recordCheckRun(run);
    }

    @Override
    public void pruneHistory(Instant before) {
        alerts.pruneHistory(before);
    }

    // --- SilenceStore: SqliteSilenceStore ---

    @Override
    public Silence addSilence(NewSilence silence) {
        return silences.addSilence(silence);
    }

    @Override
    public List<Silence> silences() {
        return silences.silences();
    }

    @Override
    public Optional<Silence> silence(long id) {
        return silences.silence(id);
    }

    @Override
    public LogErrorMemory logErrorMemory() {
        return alerts.logErrorMemory();
    }

    @Override
    public void replaceLogErrorMemory(LogErrorMemory memory) {
        alerts.replaceLogErrorMemory(memory);
    }

    @Override
    public Optional<Silence> expireSilence(long id, Instant at) {
        return silences.expireSilence(id, at);
    }

    @Override
    public void markSilenceStartAnnounced(long id) {
        silences.markSilenceStartAnnounced(id);
    }

    @Override
    public void markSilenceEndAnnounced(long id) {
        silences.markSilenceEndAnnounced(id);
    }

    @Override
    public void pruneSilences(Instant before) {
        silences.pruneSilences(before);
    }

    // --- ReportingHistory: SqliteReportingHistory ---

    @Override
    public Map<String, ReportingProfile> reportingProfiles() {
        return reporting.reportingProfiles();
    }

    @Override
    public void saveReportingProfiles(Collection<ReportingProfile> changed, Collection<String> forgotten) {
        reporting.saveReportingProfiles(changed, forgotten);
    }
}
