package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.DiagnosticStoreException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * The one SQLite file the stores of each port share: its connection, its schema migrated forward on open, and the lock
 * every store takes, since one connection's transactions must not interleave. WAL journal (readers never block the
 * writer), a busy timeout for other processes holding the lock, a versioned schema ({@code PRAGMA user_version}). A file
 * from a newer ha-diag, or one that is not a SQLite database, is refused with an error naming it: nothing here resets
 * what it cannot read.
 *
 * <p>Reads of many rows that most cycles find unchanged (the open alerts, the withheld records, the baselines) may be
 * {@linkplain #memo memoised}: the file stays the one truth, a memo only saves reading the same rows again while nothing
 * has changed them.
 */
final class SqliteDatabase implements AutoCloseable {

    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** Work on the connection that may fail with SQL's exception; {@link #write} and {@link #read} name the failure. */
    interface SqlWork {
        void run() throws SQLException;
    }

    interface SqlRead<T> {
        T read() throws SQLException;
    }

    /** A read's result and how many of its table's rows this connection had changed when it was read. */
    private record Memo(Object value, long changes) {
    }

    private final Path file;
    private final Connection connection;
    /** Rows this connection inserted, updated or deleted, per table, as SQLite's update hook reports them. */
    private final Map<String, Long> changes = new HashMap<>();
    private final Map<String, Memo> memos = new HashMap<>();
    /** The last {@code PRAGMA data_version}: it moves when another connection (another process) commits. */
    private long dataVersion = -1;
    private PreparedStatement dataVersionQuery;

    private SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if missing) the file, migrates it to {@code migrations.size()} and reads the tables every run needs
     * through, so that a file damaged there fails here, at start, not in the middle of a check.
     *
     * @param migrations entry {@code n} moves the schema from version {@code n} to {@code n + 1}
     * @param readThrough the tables read through on open
     * @throws DiagnosticStoreException naming the file when it cannot be opened, is not a SQLite database, or was
     *                                  written by a newer version
     */
    static SqliteDatabase open(Path file, List<List<String>> migrations, List<String> readThrough) {
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
        SqliteDatabase database = new SqliteDatabase(absolute, connection);
        try {
            database.prepare(migrations, readThrough);
            return database;
        } catch (SQLException e) {
            database.close();
            throw new DiagnosticStoreException("database " + absolute + " is not a usable SQLite database (" + e.getMessage()
                    + "); move it aside to start with an empty one", e);
        } catch (DiagnosticStoreException e) {
            database.close();
            throw e;
        }
    }

    private void prepare(List<List<String>> migrations, List<String> readThrough) throws SQLException {
        int target = migrations.size();
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > target) {
                throw new DiagnosticStoreException("database " + file + " has schema version " + version + ", written by a newer ha-diag;"
                        + " this version knows up to " + target + ". Upgrade ha-diag or point HA_DIAG_DB at another file", null);
            }
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = NORMAL");
            connection.setAutoCommit(false);
            try {
                for (int next = version; next < target; next++) {
                    for (String sql : migrations.get(next)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + (next + 1));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                // Any failure, not only SQLite's: switching auto-commit back on below would commit what ran so far.
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            // Damage elsewhere than these tables shows on first use, as an exception naming the file.
            for (String table : readThrough) {
                statement.executeQuery("SELECT count(*) FROM " + table).close();
            }
        }
        // Called on the thread whose statement changes the row, under this object's lock; a rolled-back change counts too.
        connection.unwrap(SQLiteConnection.class).addUpdateListener((type, database, table, rowId) -> changes.merge(table, 1L, Long::sum));
        dataVersionQuery = connection.prepareStatement("PRAGMA data_version");
    }

    Path file() {
        return file;
    }

    /** The connection, for the table classes' SQL; only under this database's lock. */
    Connection connection() {
        return connection;
    }

    /** Runs {@code work} in one transaction under the lock; a failure is the store's exception, naming the file. */
    synchronized void write(SqlWork work) {
        boolean done = false;
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
                done = true;
            } catch (SQLException | RuntimeException e) {
                // Any failure, not only SQLite's: switching auto-commit back on below would commit what ran so far.
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        } finally {
            if (!done) {
                memos.clear(); // a memo read inside the failed transaction may hold what it rolled back
            }
        }
    }

    /**
     * {@code read}'s last result for {@code key} while no row of {@code table} has changed since it was read: neither
     * by this connection (SQLite's update hook counts its changes; a failed write drops every memo) nor by any other, in
     * this process or another, such as the CLI's acknowledgement ({@code PRAGMA data_version} moves, every memo is
     * dropped). So a memo holds what the file holds, and a cycle that changed nothing does not read 5,000 rows again
     * (docs/performance.md, section 8). The update hook misses rows deleted by SQLite's truncate optimisation: every
     * delete from a memoised table has a {@code WHERE}. The value is shared by every caller: it must be immutable.
     *
     * @param table the one table {@code read} reads
     */
    @SuppressWarnings("unchecked")
    synchronized <T> T memo(String table, String key, String what, SqlRead<T> read) {
        try {
            long version;
            try (ResultSet rs = dataVersionQuery.executeQuery()) {
                version = rs.getLong(1);
            }
            if (version != dataVersion) {
                memos.clear();
                dataVersion = version;
            }
            long changed = changes.getOrDefault(table, 0L);
            Memo memo = memos.get(key);
            if (memo != null && memo.changes() == changed) {
                return (T) memo.value();
            }
            T value = read.read();
            memos.put(key, new Memo(value, changed));
            return value;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code read} under the lock; a failure is the store's exception saying it could not {@code what}. */
    synchronized <T> T read(String what, SqlRead<T> read) {
        try {
            return read.read();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Sets a pragma for what follows, e.g. a full fsync for one commit. */
    synchronized void pragma(String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure("set " + sql, e);
        }
    }

    PreparedStatement prepared(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    int update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepared(sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    DiagnosticStoreException failure(String what, SQLException e) {
        return new DiagnosticStoreException("database " + file + ": could not " + what + ": " + e.getMessage(), e);
    }

    /** A row this version cannot read (an unknown enum name, a bad number): an error naming the file, not a reset. */
    DiagnosticStoreException unreadable(String what, IllegalArgumentException e) {
        return new DiagnosticStoreException("database " + file + " holds " + what + " this version cannot read: " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        memos.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
