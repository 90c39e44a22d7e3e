package dev.hadiag.store.sqlite;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link DiagnosticStore} port on the shared {@link SqliteDatabase}: open and resolved alerts, the intents between a
 * decision and its event, the {@link Withheld} records ({@link WithheldTable}), what a run remembers for the next
 * ({@link RunMemoryTable}) and the check history.
 */
final class SqliteAlertStore implements DiagnosticStore {

    /** Between a repair attachment's alert key and its issue: neither an alert key nor {@code domain/issue_id} holds one. */
    private static final char ATTACHMENT_SEPARATOR = '|';

    private final SqliteDatabase db;
    private final WithheldTable withheldTable;
    private final LogErrorTable logErrorTable;
    private final RunMemoryTable memory;

    SqliteAlertStore(SqliteDatabase db) {
        this.db = db;
        this.withheldTable = new WithheldTable(db.connection(), db::failure);
        this.logErrorTable = new LogErrorTable(db.connection(), db::failure);
        this.memory = new RunMemoryTable(db);
    }

    @Override
    public List<OpenAlert> allOpenAlerts() {
        // Every cycle of every check reads them; with 5,000 open that was a tenth of a warm cycle (docs/performance.md, section 8).
        return db.memo("alerts_sent", "open alerts", "read open alerts",
                () -> List.copyOf(queryAlerts("SELECT * FROM alerts_sent WHERE resolved_at_ms IS NULL ORDER BY id")));
    }

    @Override
    public Optional<OpenAlert> openAlert(String alertKey) {
        return queryAlerts("SELECT * FROM alerts_sent WHERE resolved_at_ms IS NULL AND alert_key = ?", alertKey).stream().findFirst();
    }

    @Override
    public void saveOpenAlert(OpenAlert alert) {
        db.write(() -> upsertOpen(alert));
    }

    private void upsertOpen(OpenAlert alert) throws SQLException {
        int updated = db.update("UPDATE alerts_sent SET check_name = ?, type = ?, correlation_id = ?, opened_at_ms = ?, last_sent_at_ms = ?,"
                + " entities = ? WHERE alert_key = ? AND resolved_at_ms IS NULL", alert.check(), alert.type().name(),
                alert.correlationId(), alert.openedAt().toEpochMilli(), alert.lastSentAt().toEpochMilli(),
                String.join("\n", alert.entities()), alert.alertKey());
        if (updated == 0) {
            db.update("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", alert.alertKey(), alert.check(), alert.type().name(), alert.correlationId(),
                    alert.openedAt().toEpochMilli(), alert.lastSentAt().toEpochMilli(), String.join("\n", alert.entities()));
        }
    }

    @Override
    public void closeAlert(String alertKey, Instant resolvedAt) {
        db.write(() -> db.update("UPDATE alerts_sent SET resolved_at_ms = ? WHERE alert_key = ? AND resolved_at_ms IS NULL",
                resolvedAt.toEpochMilli(), alertKey));
    }

    @Override
    public void recordIntents(List<AlertIntent> intents) {
        if (intents.isEmpty()) {
            return;
        }
        synchronized (db) {
            // A full fsync for this one commit: an intent lost to a power cut would let a written event go unmatched.
            db.pragma("PRAGMA synchronous = FULL");
            try {
                db.write(() -> insertIntents(intents));
            } finally {
                db.pragma("PRAGMA synchronous = NORMAL");
            }
        }
    }

    private void insertIntents(List<AlertIntent> intents) throws SQLException {
        try (PreparedStatement insert = db.connection().prepareStatement("INSERT OR REPLACE INTO alert_intents (alert_key, kind, check_name,"
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
    }

    @Override
    public List<AlertIntent> intents() {
        try {
            return db.read("read intents", () -> {
                List<AlertIntent> intents = new ArrayList<>();
                try (PreparedStatement select = db.connection().prepareStatement("SELECT * FROM alert_intents ORDER BY at_ms, alert_key");
                        ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        intents.add(new AlertIntent(AlertIntent.Kind.valueOf(rs.getString("kind")), alertOf(rs),
                                Instant.ofEpochMilli(rs.getLong("at_ms")), rs.getString("absorbed_by")));
                    }
                }
                return intents;
            });
        } catch (IllegalArgumentException e) {
            throw db.unreadable("an intent", e);
        }
    }

    @Override
    public void markSent(AlertIntent intent) {
        OpenAlert alert = intent.alert();
        db.write(() -> {
            if (intent.kind() == AlertIntent.Kind.RESOLVE) {
                db.update("UPDATE alerts_sent SET resolved_at_ms = ?, absorbed_by = ? WHERE alert_key = ? AND resolved_at_ms IS NULL",
                        intent.at().toEpochMilli(), intent.absorbedBy().isEmpty() ? null : intent.absorbedBy(), alert.alertKey());
            } else {
                upsertOpen(alert);
            }
            withheldTable.endWith(intent);
            db.update("DELETE FROM alert_intents WHERE alert_key = ? AND kind = ? AND correlation_id = ? AND at_ms = ?", alert.alertKey(),
                    intent.kind().name(), alert.correlationId(), intent.at().toEpochMilli());
        });
    }

    @Override
    public void dropIntent(String alertKey) {
        db.write(() -> db.update("DELETE FROM alert_intents WHERE alert_key = ?", alertKey));
    }

    // --- the ha_log_errors check's memory: the SQL is in LogErrorTable ---

    @Override
    public LogErrorMemory logErrorMemory() {
        return db.read("read the log error memory", logErrorTable::read);
    }

    @Override
    public void replaceLogErrorMemory(LogErrorMemory memory) {
        db.write(() -> logErrorTable.replace(memory));
    }

    // --- withheld events: the SQL is in WithheldTable ---

    @Override
    public void withhold(List<Withheld> withheld) {
        if (!withheld.isEmpty()) {
            db.write(() -> withheldTable.withhold(withheld));
        }
    }

    @Override
    public List<Withheld> withheld() {
        return db.memo("withheld", "withheld", "read withheld alerts", () -> List.copyOf(withheldTable.read(null)));
    }

    @Override
    public List<Withheld> withheld(Class<? extends Withheld.Reason> reason) {
        return db.memo("withheld", "withheld:" + reason.getName(), "read withheld alerts", () -> List.copyOf(withheldTable.read(reason)));
    }

    @Override
    public Optional<Withheld> acknowledge(String alertKey, Instant at) {
        synchronized (db) {
            db.write(() -> {
                // A record another incident of the key left behind is no record of this one.
                db.update("DELETE FROM withheld WHERE alert_key = ? AND correlation_id NOT IN (SELECT correlation_id FROM alerts_sent"
                        + " WHERE alert_key = ? AND resolved_at_ms IS NULL)", alertKey, alertKey);
                db.update("INSERT OR IGNORE INTO withheld (alert_key, correlation_id, reason, since_ms) SELECT alert_key, correlation_id, ?, ?"
                        + " FROM alerts_sent WHERE alert_key = ? AND resolved_at_ms IS NULL", WithheldTable.ACKNOWLEDGED, at.toEpochMilli(),
                        alertKey);
            });
            return withheld().stream().filter(w -> w.alertKey().equals(alertKey)).findFirst();
        }
    }

    @Override
    public void forgetWithheld(Collection<String> alertKeys) {
        if (!alertKeys.isEmpty()) {
            db.write(() -> withheldTable.forget(alertKeys));
        }
    }

    @Override
    public Optional<AbsorbedAlert> lastAbsorbed(String alertKey) {
        return db.read("read resolved alerts", () -> {
            try (PreparedStatement select = db.prepared("SELECT correlation_id, resolved_at_ms, absorbed_by FROM alerts_sent WHERE alert_key = ?"
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
            }
        });
    }

    // --- what a run remembers for the next: RunMemoryTable, one scope each ---

    @Override
    public Map<String, Instant> unavailableSince() {
        return memory.times(RunMemoryTable.UNAVAILABLE_SCOPE);
    }

    @Override
    public void replaceUnavailableSince(Map<String, Instant> since) {
        memory.replaceTimes(RunMemoryTable.UNAVAILABLE_SCOPE, since);
    }

    @Override
    public Map<String, Instant> pendingCauses(String check) {
        return memory.times(RunMemoryTable.PENDING_SCOPE + check);
    }

    @Override
    public void replacePendingCauses(String check, Map<String, Instant> pending) {
        memory.replaceTimes(RunMemoryTable.PENDING_SCOPE + check, pending);
    }

    @Override
    public Map<RepairAttachment, Instant> repairAttachments() {
        Map<RepairAttachment, Instant> attachments = new HashMap<>();
        memory.times(RunMemoryTable.REPAIRS_SCOPE).forEach((key, since) -> {
            int at = key.indexOf(ATTACHMENT_SEPARATOR);
            if (at > 0 && at < key.length() - 1) {
                attachments.put(new RepairAttachment(key.substring(0, at), key.substring(at + 1)), since);
            }
        });
        return attachments;
    }

    @Override
    public void replaceRepairAttachments(Map<RepairAttachment, Instant> attachments) {
        Map<String, Instant> rows = new HashMap<>();
        attachments.forEach((a, since) -> rows.put(a.alertKey() + ATTACHMENT_SEPARATOR + a.issue(), since));
        memory.replaceTimes(RunMemoryTable.REPAIRS_SCOPE, rows);
    }

    @Override
    public Map<String, Instant> flapMemory() {
        return memory.times(RunMemoryTable.FLAPPING_SCOPE);
    }

    @Override
    public void replaceFlapMemory(Map<String, Instant> flaps) {
        memory.replaceTimes(RunMemoryTable.FLAPPING_SCOPE, flaps);
    }

    @Override
    public Optional<Instant> reconciledThrough() {
        return Optional.ofNullable(memory.times(RunMemoryTable.RECONCILED_SCOPE).get(RunMemoryTable.RECONCILED_KEY));
    }

    @Override
    public void recordReconciledThrough(Instant through) {
        memory.replaceTimes(RunMemoryTable.RECONCILED_SCOPE, Map.of(RunMemoryTable.RECONCILED_KEY, through));
    }

    // --- the check history ---

    @Override
    public void recordCheckRun(CheckRun run) {
        db.write(() -> db.update("INSERT INTO check_history (check_name, started_at_ms, duration_ms, status, findings, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?)", run.check(), run.startedAt().toEpochMilli(), run.duration().toMillis(), run.status().wire(),
                run.findings(), run.reason()));
    }

    @Override
    public void pruneHistory(Instant before) {
        db.write(() -> {
            db.update("DELETE FROM check_history WHERE started_at_ms < ?", before.toEpochMilli());
            db.update("DELETE FROM alerts_sent WHERE resolved_at_ms IS NOT NULL AND resolved_at_ms < ?", before.toEpochMilli());
            db.update("DELETE FROM alert_intents WHERE at_ms < ?", before.toEpochMilli());
        });
    }

    private List<OpenAlert> queryAlerts(String sql, Object... parameters) {
        try {
            return db.read("read open alerts", () -> {
                List<OpenAlert> alerts = new ArrayList<>();
                try (PreparedStatement select = db.prepared(sql, parameters); ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        alerts.add(alertOf(rs));
                    }
                }
                return alerts;
            });
        } catch (IllegalArgumentException e) {
            throw db.unreadable("an alert", e);
        }
    }

    private static OpenAlert alertOf(ResultSet rs) throws SQLException {
        String entities = rs.getString("entities");
        return new OpenAlert(rs.getString("alert_key"), rs.getString("check_name"), AlertType.valueOf(rs.getString("type")),
                rs.getString("correlation_id"), Instant.ofEpochMilli(rs.getLong("opened_at_ms")),
                Instant.ofEpochMilli(rs.getLong("last_sent_at_ms")),
                entities.isEmpty() ? List.of() : Arrays.asList(entities.split("\n")));
    }
}
