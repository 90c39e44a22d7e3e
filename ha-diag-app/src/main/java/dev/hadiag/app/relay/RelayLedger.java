package dev.hadiag.app.relay;

import dev.hadiag.app.files.DatabaseFile;
import dev.hadiag.core.port.DiagnosticStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The relay's durable cursor, per destination: which files of which day were delivered, and which days are done.
 * A file is recorded after its delivery is acknowledged, so a crash between the two sends it again (at least once),
 * never skips it. Days that are done lose their file rows, so the ledger stays small.
 */
final class RelayLedger implements AutoCloseable {

    private final Connection connection;

    private RelayLedger(Connection connection) {
        this.connection = connection;
    }

    static RelayLedger open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Beside the agent's database: writable by the agent even when `relay --once` runs as root.
            DatabaseFile.createLikeItsDirectory(file);
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS relayed (destination TEXT NOT NULL, day TEXT NOT NULL, "
                        + "file TEXT NOT NULL, PRIMARY KEY (destination, day, file))");
                statement.execute("CREATE TABLE IF NOT EXISTS days_done (destination TEXT NOT NULL, day TEXT NOT NULL, "
                        + "PRIMARY KEY (destination, day))");
            }
            return new RelayLedger(connection);
        } catch (SQLException | java.io.IOException | DiagnosticStoreException e) {
            throw new RelayException("cannot open the relay state " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized Set<String> doneDays(String destination) {
        return strings("SELECT day FROM days_done WHERE destination = ?", destination, null);
    }

    /** The files of the day already delivered, as {@code node/name}. */
    synchronized Set<String> delivered(String destination, String day) {
        return strings("SELECT file FROM relayed WHERE destination = ? AND day = ?", destination, day);
    }

    synchronized void markDelivered(String destination, EventFile file) {
        update("INSERT OR IGNORE INTO relayed (destination, day, file) VALUES (?, ?, ?)", destination, file.day(),
                file.node() + "/" + file.name());
    }

    synchronized void markDayDone(String destination, String day) {
        try {
            connection.setAutoCommit(false);
            update("INSERT OR IGNORE INTO days_done (destination, day) VALUES (?, ?)", destination, day, null);
            update("DELETE FROM relayed WHERE destination = ? AND day = ?", destination, day, null);
            connection.commit();
        } catch (SQLException e) {
            throw new RelayException("cannot update the relay state: " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the next statement reports a broken connection
            }
        }
    }

    private Set<String> strings(String sql, String first, String second) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, first);
            if (second != null) {
                statement.setString(2, second);
            }
            Set<String> values = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new RelayException("cannot read the relay state: " + e.getMessage(), e);
        }
    }

    private void update(String sql, String first, String second, String third) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, first);
            statement.setString(2, second);
            if (third != null) {
                statement.setString(3, third);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new RelayException("cannot update the relay state: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to lose, every delivery was recorded when it happened
        }
    }
}
