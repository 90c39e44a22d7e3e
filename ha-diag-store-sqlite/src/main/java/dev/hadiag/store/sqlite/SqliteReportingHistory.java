package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.stale.ReportingProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@link ReportingHistory} port on the shared {@link SqliteDatabase}: the learned reporting gaps (schema migration 3).
 * One row per watched entity: the gaps are a few numbers, kept as one text column.
 */
final class SqliteReportingHistory implements ReportingHistory {

    static final List<String> MIGRATION = List.of(
            "CREATE TABLE entity_reporting (entity_id TEXT PRIMARY KEY, last_report_ms INTEGER NOT NULL,"
                    + " paused INTEGER NOT NULL, gaps_ms TEXT NOT NULL)");

    private final SqliteDatabase db;

    SqliteReportingHistory(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, ReportingProfile> reportingProfiles() {
        try {
            return db.read("read the reporting profiles", () -> read(db.connection()));
        } catch (IllegalArgumentException e) {
            throw db.unreadable("a reporting profile", e);
        }
    }

    @Override
    public void saveReportingProfiles(Collection<ReportingProfile> changed, Collection<String> forgotten) {
        db.write(() -> write(db.connection(), changed, forgotten));
    }

    private static Map<String, ReportingProfile> read(Connection connection) throws SQLException {
        Map<String, ReportingProfile> profiles = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT entity_id, last_report_ms, paused, gaps_ms FROM entity_reporting");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String gaps = rs.getString(4);
                List<Duration> parsed = gaps.isEmpty() ? List.of()
                        : Arrays.stream(gaps.split(",")).map(ms -> Duration.ofMillis(Long.parseLong(ms))).toList();
                profiles.put(rs.getString(1), new ReportingProfile(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), parsed,
                        rs.getInt(3) != 0));
            }
        }
        return profiles;
    }

    private static void write(Connection connection, Collection<ReportingProfile> changed, Collection<String> forgotten) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO entity_reporting (entity_id, last_report_ms, paused, gaps_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (entity_id) DO UPDATE SET last_report_ms = excluded.last_report_ms,"
                + " paused = excluded.paused, gaps_ms = excluded.gaps_ms")) {
            for (ReportingProfile profile : changed) {
                upsert.setString(1, profile.entityId());
                upsert.setLong(2, profile.lastReport().toEpochMilli());
                upsert.setInt(3, profile.paused() ? 1 : 0);
                upsert.setString(4, profile.gaps().stream().map(gap -> Long.toString(gap.toMillis())).collect(Collectors.joining(",")));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM entity_reporting WHERE entity_id = ?")) {
            for (String entityId : forgotten) {
                delete.setString(1, entityId);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }
}
