package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.store.LogErrorMemory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The SQL of the {@link LogErrorMemory} (schema version 6): one row per counted entry of HA's log ({@code ENTRY}: its
 * count), per source with a recent new error ({@code SOURCE}: when), and one {@code READ} row (when HA's log was last read).
 * Few rows (HA keeps at most 50 entries), so a replacement rewrites them all. The caller holds the store's lock and, for
 * writes, its transaction.
 */
final class LogErrorTable {

    private static final String ENTRY = "ENTRY";
    private static final String SOURCE = "SOURCE";
    private static final String READ = "READ";

    /** Schema migration 6: the {@code ha_log_errors} check's memory (issue 27). */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE log_error_memory (kind TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (kind, key))");

    private final Connection connection;
    private final BiFunction<String, SQLException, DiagnosticStoreException> failure;

    LogErrorTable(Connection connection, BiFunction<String, SQLException, DiagnosticStoreException> failure) {
        this.connection = connection;
        this.failure = failure;
    }

    LogErrorMemory read() {
        Map<String, Long> counted = new HashMap<>();
        Map<String, Instant> lastErrorAt = new HashMap<>();
        Instant readAt = Instant.EPOCH;
        try (Statement select = connection.createStatement();
                ResultSet rs = select.executeQuery("SELECT kind, key, count, at_ms FROM log_error_memory")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case ENTRY -> counted.put(rs.getString(2), rs.getLong(3));
                    case SOURCE -> lastErrorAt.put(rs.getString(2), Instant.ofEpochMilli(rs.getLong(4)));
                    case READ -> readAt = Instant.ofEpochMilli(rs.getLong(4));
                    default -> {
                        // a kind of a later version: not this version's to read
                    }
                }
            }
        } catch (SQLException e) {
            throw failure.apply("read the log error memory", e);
        }
        return new LogErrorMemory(counted, lastErrorAt, readAt);
    }

    void replace(LogErrorMemory memory) throws SQLException {
        try (Statement delete = connection.createStatement()) {
            delete.executeUpdate("DELETE FROM log_error_memory");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO log_error_memory (kind, key, count, at_ms) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, Long> entry : memory.counted().entrySet()) {
                add(insert, ENTRY, entry.getKey(), entry.getValue(), 0);
            }
            for (Map.Entry<String, Instant> source : memory.lastErrorAt().entrySet()) {
                add(insert, SOURCE, source.getKey(), 0, source.getValue().toEpochMilli());
            }
            if (memory.lastRead().isPresent()) {
                add(insert, READ, "", 0, memory.readAt().toEpochMilli());
            }
            insert.executeBatch();
        }
    }

    private static void add(PreparedStatement insert, String kind, String key, long count, long atMs) throws SQLException {
        insert.setString(1, kind);
        insert.setString(2, key);
        insert.setLong(3, count);
        insert.setLong(4, atMs);
        insert.addBatch();
    }
}
