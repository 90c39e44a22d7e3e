package dev.hadiag.app.files;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database as ha-diag's first schema left it (migration 1's statements, which never change once released), with one
 * open alert: what an upgrade finds on a host that ran an old version. For the backup and rollback tests.
 */
public final class SchemaOneDatabase {

    public static final String OPEN_ALERT_KEY = "ha_entity_unavailable_long:entity:sensor.upgrade_it";
    public static final String CORRELATION_ID = "upgrade-it-corr";

    private SchemaOneDatabase() {
    }

    public static void create(Path file, long openedAtMs) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE entity_baseline (scope TEXT NOT NULL, key TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (scope, key))");
            statement.execute("CREATE TABLE alerts_sent (id INTEGER PRIMARY KEY, alert_key TEXT NOT NULL, check_name TEXT NOT NULL,"
                    + " type TEXT NOT NULL, correlation_id TEXT NOT NULL, opened_at_ms INTEGER NOT NULL,"
                    + " last_sent_at_ms INTEGER NOT NULL, entities TEXT NOT NULL, resolved_at_ms INTEGER)");
            statement.execute("CREATE UNIQUE INDEX alerts_open_by_key ON alerts_sent (alert_key) WHERE resolved_at_ms IS NULL");
            statement.execute("CREATE TABLE check_history (id INTEGER PRIMARY KEY, check_name TEXT NOT NULL, started_at_ms INTEGER NOT NULL,"
                    + " duration_ms INTEGER NOT NULL, status TEXT NOT NULL, findings INTEGER NOT NULL, reason TEXT NOT NULL)");
            statement.execute("CREATE INDEX check_history_by_check ON check_history (check_name, started_at_ms)");
            statement.execute("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                    + " VALUES ('" + OPEN_ALERT_KEY + "', 'unavailable_entities', 'ENTITY_UNAVAILABLE_LONG', '" + CORRELATION_ID + "', "
                    + openedAtMs + ", " + openedAtMs + ", 'sensor.upgrade_it')");
            statement.execute("PRAGMA user_version = 1");
        }
    }

    public static int schema(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    /** The correlation id of the open alert of that key, or "" when there is none. */
    public static String openCorrelationId(Path file, String alertKey) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT correlation_id FROM alerts_sent WHERE resolved_at_ms IS NULL AND alert_key = '"
                        + alertKey + "'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
