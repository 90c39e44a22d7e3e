package dev.hadiag.app.files;

import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.events.fs.ParentOwnership;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;

/**
 * A copy of the agent's database taken before this version migrates it to a newer schema (issue 26): the migration is
 * one way, and an older ha-diag refuses the migrated file, so a rollback needs the file as it was: its silences, learned
 * gaps and the open alerts' correlation ids (without them their incidents never resolve downstream). The copy is
 * {@code <db>.schema<N>-<UTC time>.bak} beside the database, made by SQLite ({@code VACUUM INTO}: consistent even with
 * a WAL the last agent left), owned like the database's directory.
 */
public final class DatabaseBackup {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DatabaseBackup() {
    }

    /**
     * Backs the database up when it exists and has an older schema than this version writes; does nothing for a new or
     * current file (or one SQLite cannot read: opening it says why).
     *
     * @return the backup, when one was made
     * @throws DiagnosticStoreException naming both files when the copy cannot be made: the migration must not go ahead
     */
    public static Optional<Path> beforeMigration(Path db, Clock clock) {
        Path file = db.toAbsolutePath().normalize();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) == 0) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: looking never changes the file
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly);
                Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            } catch (SQLException notReadable) {
                return Optional.empty(); // not a database SQLite can read: the store's open says so, in its own words
            }
            if (version == 0 || version >= SqliteDiagnosticStore.SCHEMA_VERSION) {
                return Optional.empty();
            }
            Path backup = file.resolveSibling(file.getFileName() + ".schema" + version + "-" + STAMP.format(clock.instant()) + ".bak");
            try {
                statement.execute("VACUUM INTO '" + backup.toString().replace("'", "''") + "'");
            } catch (SQLException e) {
                throw new DiagnosticStoreException("database " + file + " cannot be backed up to " + backup + " before its migration from "
                        + "schema " + version + " (" + e.getMessage() + "); not migrated: free space beside it, or move it aside", e);
            }
            try {
                ParentOwnership.adopt(backup);
            } catch (IOException e) {
                throw new DiagnosticStoreException("database " + file + ": its backup " + backup + " cannot be given the owner of its "
                        + "directory: " + e.getMessage(), e);
            }
            return Optional.of(backup);
        } catch (SQLException e) {
            return Optional.empty(); // cannot even be opened: the store's open says why
        }
    }
}
