package dev.hadiag.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.testing.DiagnosticStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port contract on a real SQLite file, plus what only a file can do: survive a reopen, be damaged, be too new. */
class SqliteDiagnosticStoreTest extends DiagnosticStoreContract {

    @TempDir
    Path directory;
    Path file;

    @Override
    protected DiagnosticStore newStore() {
        file = directory.resolve("data/ha_diag.db");
        return SqliteDiagnosticStore.open(file);
    }

    @AfterEach
    void close() {
        ((SqliteDiagnosticStore) store).close();
    }

    @Test
    void state_survives_closing_and_reopening_the_file() {
        store.saveOpenAlert(alert("k", "c"));
        store.replaceFirstSeen("entity", Map.of("sensor.a", T));
        ((SqliteDiagnosticStore) store).close();

        store = SqliteDiagnosticStore.open(file);
        assertThat(store.openAlert("k")).contains(alert("k", "c"));
        assertThat(store.firstSeen("entity")).containsEntry("sensor.a", T);
    }

    @Test
    void the_database_uses_wal_and_the_current_schema_version() throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void a_file_that_is_not_a_database_is_refused_naming_it_and_left_untouched() throws Exception {
        Path corrupt = directory.resolve("corrupt.db");
        byte[] garbage = "this is definitely not a SQLite database, just some text that is long enough".repeat(20).getBytes();
        Files.write(corrupt, garbage);
        assertThatThrownBy(() -> SqliteDiagnosticStore.open(corrupt))
                .isInstanceOf(DiagnosticStoreException.class)
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("move it aside");
        assertThat(Files.readAllBytes(corrupt)).isEqualTo(garbage);
    }

    @Test
    void a_database_from_a_newer_version_is_refused_not_reset() throws Exception {
        Path newer = directory.resolve("newer.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement s = raw.createStatement()) {
            s.execute("CREATE TABLE future (x)");
            s.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteDiagnosticStore.open(newer))
                .isInstanceOf(DiagnosticStoreException.class)
                .hasMessageContaining(newer.toString())
                .hasMessageContaining("schema version 99");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement s = raw.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'future'")) {
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void a_second_process_style_connection_can_read_while_the_store_writes() throws Exception {
        store.saveOpenAlert(alert("k", "c"));
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM alerts_sent WHERE resolved_at_ms IS NULL")) {
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
