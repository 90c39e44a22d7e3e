package dev.hadiag.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run remembers for the next (since when each entity is unavailable, a check's pending causes, repair attachments,
 * the flap detector's memory, the reconciliation mark): one table of (scope, key) → instant, each use its own scope,
 * the scopes this store's own names. The caller holds the database's lock.
 */
final class RunMemoryTable {

    static final String UNAVAILABLE_SCOPE = "entity";
    static final String PENDING_SCOPE = "pending:";
    static final String REPAIRS_SCOPE = "repair_attached";
    static final String FLAPPING_SCOPE = "flapping";
    static final String RECONCILED_SCOPE = "agent:events-reconciled";
    static final String RECONCILED_KEY = "through";

    private final SqliteDatabase db;

    RunMemoryTable(SqliteDatabase db) {
        this.db = db;
    }

    /** The scope's times, immutable: the memo of the last read while no row of the table has changed (5,000 down is 5,000 rows). */
    Map<String, Instant> times(String scope) {
        return db.memo("entity_baseline", "times:" + scope, "read first-seen times", () -> {
            Map<String, Instant> result = new HashMap<>();
            try (PreparedStatement select = db.prepared("SELECT key, first_seen_ms FROM entity_baseline WHERE scope = ?", scope);
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
            return Map.copyOf(result);
        });
    }

    void replaceTimes(String scope, Map<String, Instant> firstSeen) {
        synchronized (db) {
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
            db.write(() -> write(scope, gone, changed));
        }
    }

    private void write(String scope, List<String> gone, List<Map.Entry<String, Instant>> changed) throws SQLException {
        try (PreparedStatement delete = db.connection().prepareStatement("DELETE FROM entity_baseline WHERE scope = ? AND key = ?");
                PreparedStatement upsert = db.connection().prepareStatement(
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
    }
}
