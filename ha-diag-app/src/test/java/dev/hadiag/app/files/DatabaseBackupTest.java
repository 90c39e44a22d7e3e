package dev.hadiag.app.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database copied as it was before this version migrates it, on real SQLite files. */
class DatabaseBackupTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void an_older_schema_is_copied_whole_before_the_migration_and_the_copy_stays_at_that_schema() throws Exception {
        Path db = dir.resolve("ha_diag.db");
        SchemaOneDatabase.create(db, 1_700_000_000_000L);

        Optional<Path> backup = DatabaseBackup.beforeMigration(db, CLOCK);

        assertThat(backup).contains(dir.resolve("ha_diag.db.schema1-20261207T080000Z.bak"));
        assertThat(SchemaOneDatabase.schema(db)).as("looking changed nothing").isEqualTo(1);
        SqliteDiagnosticStore.open(db).close();
        assertThat(SchemaOneDatabase.schema(db)).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
        assertThat(SchemaOneDatabase.schema(backup.get())).isEqualTo(1);
        assertThat(SchemaOneDatabase.openCorrelationId(backup.get(), SchemaOneDatabase.OPEN_ALERT_KEY)).isEqualTo(SchemaOneDatabase.CORRELATION_ID);
        assertThat(SchemaOneDatabase.openCorrelationId(db, SchemaOneDatabase.OPEN_ALERT_KEY)).isEqualTo(SchemaOneDatabase.CORRELATION_ID);
    }

    @Test
    void a_current_new_or_missing_database_is_not_copied() throws Exception {
        Path current = dir.resolve("current.db");
        SqliteDiagnosticStore.open(current).close();
        assertThat(DatabaseBackup.beforeMigration(current, CLOCK)).isEmpty();
        assertThat(DatabaseBackup.beforeMigration(dir.resolve("missing.db"), CLOCK)).isEmpty();
        assertThat(DatabaseBackup.beforeMigration(Files.createFile(dir.resolve("empty.db")), CLOCK)).isEmpty();
        assertThat(DatabaseBackup.beforeMigration(Files.writeString(dir.resolve("garbage.db"), "not a database"), CLOCK)).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".bak"));
        }
    }
}
