package dev.hadiag.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.port.DiagnosticStoreException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memo of a read (what a cycle reads again and again): kept while its table is unchanged, never past a change. */
class SqliteDatabaseTest {

    @TempDir
    Path directory;
    SqliteDatabase db;
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(directory.resolve("memo.db"), List.of(List.of("CREATE TABLE t (v INTEGER)", "CREATE TABLE other (v INTEGER)")),
                List.of("t"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void a_read_is_kept_while_its_table_is_unchanged_and_read_again_after_a_change() {
        db.write(() -> db.update("INSERT INTO t VALUES (1)"));
        assertThat(count()).isEqualTo(1);
        assertThat(count()).isEqualTo(1);
        assertThat(reads).hasValue(1);
        db.write(() -> db.update("INSERT INTO other VALUES (1)")); // another table: the memo stands
        assertThat(count()).isEqualTo(1);
        assertThat(reads).hasValue(1);
        db.write(() -> db.update("DELETE FROM t WHERE v = 1"));
        assertThat(count()).isZero();
        assertThat(reads).hasValue(2);
    }

    @Test
    void a_memo_read_inside_a_write_that_then_fails_is_dropped_with_what_it_rolled_back() {
        assertThatThrownBy(() -> db.write(() -> {
            db.update("INSERT INTO t VALUES (1)");
            assertThat(count()).isEqualTo(1); // read inside the transaction
            throw new SQLException("disk I/O error");
        })).isInstanceOf(DiagnosticStoreException.class);
        assertThat(count()).isZero();
    }

    @Test
    void a_write_whose_work_throws_anything_else_commits_nothing_of_it() {
        assertThatThrownBy(() -> db.write(() -> {
            db.update("INSERT INTO t VALUES (1)");
            throw new IllegalStateException("a bug half-way through");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
        db.write(() -> db.update("INSERT INTO t VALUES (2)")); // the connection is usable again, in auto-commit as before
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void a_commit_of_another_connection_drops_every_memo() throws Exception {
        assertThat(count()).isZero();
        SqliteDatabase other = SqliteDatabase.open(directory.resolve("memo.db"), List.of(List.of("CREATE TABLE t (v INTEGER)",
                "CREATE TABLE other (v INTEGER)")), List.of("t"));
        try (other) {
            other.write(() -> other.update("INSERT INTO t VALUES (7)"));
        }
        assertThat(count()).isEqualTo(1);
        assertThat(reads).hasValue(2);
    }

    private int count() {
        return db.memo("t", "count", "count", () -> {
            reads.incrementAndGet();
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                return rs.getInt(1);
            }
        });
    }
}
