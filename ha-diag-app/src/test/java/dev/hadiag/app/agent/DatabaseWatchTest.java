package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What wakes the silence poll instead of a timer: a commit to the database by another connection, as the CLI's. */
class DatabaseWatchTest {

    @TempDir
    Path dir;

    @Test
    void a_commit_by_another_connection_wakes_it_as_the_cli_s_silence_would() throws Exception {
        Path db = dir.resolve("ha-diag.db");
        try (Connection setUp = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = setUp.createStatement()) {
            sql.execute("PRAGMA journal_mode = WAL");
            sql.execute("CREATE TABLE silences (id INTEGER PRIMARY KEY)");
        }
        CountDownLatch woken = new CountDownLatch(1);
        AtomicInteger wakes = new AtomicInteger();
        CountDownLatch lost = new CountDownLatch(1);
        try (DatabaseWatch watch = DatabaseWatch.start(db, () -> {
            wakes.incrementAndGet();
            woken.countDown();
        }, lost::countDown).orElseThrow()) {
            Files.writeString(dir.resolve(".ha-diag-probe"), "the storage probe's file"); // not the database's
            Files.delete(dir.resolve(".ha-diag-probe"));
            Files.createDirectories(dir.resolve("events"));
            try (Connection cli = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = cli.createStatement()) {
                sql.execute("INSERT INTO silences (id) VALUES (1)");
            }
            assertThat(woken.await(10, TimeUnit.SECONDS)).as("woken by the commit").isTrue();
            assertThat(lost.getCount()).isEqualTo(1);
        }
        assertThat(wakes.get()).isPositive();
    }
}
