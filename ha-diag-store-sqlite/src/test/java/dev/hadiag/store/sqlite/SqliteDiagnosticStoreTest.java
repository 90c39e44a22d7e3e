package dev.hadiag.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.stale.ReportingProfile;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.core.testing.DiagnosticStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Read with a connection of its own, as an operator's {@code sqlite3} would: the agent only writes the history. */
    @Override
    protected List<CheckRun> runs(String check) throws Exception {
        List<CheckRun> runs = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement select = raw.prepareStatement("SELECT * FROM check_history WHERE check_name = ?"
                        + " ORDER BY started_at_ms DESC, id DESC")) {
            select.setString(1, check);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    runs.add(new CheckRun(rs.getString("check_name"), Instant.ofEpochMilli(rs.getLong("started_at_ms")),
                            Duration.ofMillis(rs.getLong("duration_ms")), CheckStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                            rs.getInt("findings"), rs.getString("reason")));
                }
            }
        }
        return runs;
    }

    @AfterEach
    void close() {
        ((SqliteDiagnosticStore) store).close();
    }

    @Test
    void state_survives_closing_and_reopening_the_file() {
        store.saveOpenAlert(alert("k", "c"));
        store.replaceUnavailableSince(Map.of("sensor.a", T));
        ((SqliteDiagnosticStore) store).close();

        store = SqliteDiagnosticStore.open(file);
        assertThat(store.openAlert("k")).contains(alert("k", "c"));
        assertThat(store.unavailableSince()).containsEntry("sensor.a", T);
    }

    /** Each map in turn: "key=epoch-second" pairs, "-" for none. After each, the baseline is that map exactly. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "a=1 b=2,   a=1 b=2",      // unchanged
            "a=1 b=2,   a=1 b=2 c=3",  // one more down
            "a=1 b=2,   b=2",          // one back
            "a=1 b=2,   a=5 b=2",      // a new first-seen time for one
            "a=1 b=2,   -",            // all back
            "-,         a=1",          // the first one down
            "a=1 b=2,   c=3 d=4",      // all different
    })
    void replacing_the_first_seen_times_leaves_exactly_the_new_ones(String before, String after) {
        store.replaceUnavailableSince(times(before));
        store.replaceUnavailableSince(times(after));
        store.replacePendingCauses("other", times("z=9"));
        assertThat(store.unavailableSince()).isEqualTo(times(after));
        assertThat(store.pendingCauses("other")).isEqualTo(times("z=9"));
    }

    @Test
    void first_seen_times_that_did_not_change_are_not_written_again() throws Exception {
        store.replaceUnavailableSince(times("a=1 b=2 c=3"));
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            long before = dataVersion(s);
            store.replaceUnavailableSince(times("a=1 b=2 c=3"));
            assertThat(dataVersion(s)).as("no commit by the store").isEqualTo(before);
            store.replaceUnavailableSince(times("a=1 b=2"));
            assertThat(dataVersion(s)).isNotEqualTo(before);
        }
    }

    private static long dataVersion(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            return rs.getLong(1);
        }
    }

    private static Map<String, java.time.Instant> times(String pairs) {
        Map<String, java.time.Instant> times = new java.util.HashMap<>();
        if (!pairs.isBlank() && !pairs.trim().equals("-")) {
            for (String pair : pairs.trim().split("\\s+")) {
                String[] kv = pair.split("=");
                times.put("sensor." + kv[0], java.time.Instant.ofEpochSecond(Long.parseLong(kv[1])));
            }
        }
        return times;
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

    @Test
    void a_version_1_database_is_migrated_keeping_its_open_alerts() throws Exception {
        Path old = directory.resolve("v1.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement()) {
            // The schema as ha-diag wrote it before intents existed.
            s.execute("CREATE TABLE entity_baseline (scope TEXT NOT NULL, key TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (scope, key))");
            s.execute("CREATE TABLE alerts_sent (id INTEGER PRIMARY KEY, alert_key TEXT NOT NULL, check_name TEXT NOT NULL,"
                    + " type TEXT NOT NULL, correlation_id TEXT NOT NULL, opened_at_ms INTEGER NOT NULL,"
                    + " last_sent_at_ms INTEGER NOT NULL, entities TEXT NOT NULL, resolved_at_ms INTEGER)");
            s.execute("CREATE UNIQUE INDEX alerts_open_by_key ON alerts_sent (alert_key) WHERE resolved_at_ms IS NULL");
            s.execute("CREATE TABLE check_history (id INTEGER PRIMARY KEY, check_name TEXT NOT NULL, started_at_ms INTEGER NOT NULL,"
                    + " duration_ms INTEGER NOT NULL, status TEXT NOT NULL, findings INTEGER NOT NULL, reason TEXT NOT NULL)");
            s.execute("CREATE INDEX check_history_by_check ON check_history (check_name, started_at_ms)");
            s.execute("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                    + " VALUES ('k', 'c', 'ENTITY_UNAVAILABLE_LONG', 'cid-k', " + T.toEpochMilli() + ", " + T.toEpochMilli() + ", 'sensor.a\nsensor.b')");
            s.execute("PRAGMA user_version = 1");
        }
        try (SqliteDiagnosticStore migrated = SqliteDiagnosticStore.open(old)) {
            assertThat(migrated.openAlert("k")).contains(alert("k", "c"));
            assertThat(migrated.intents()).isEmpty();
            assertThat(migrated.lastAbsorbed("k")).isEmpty();
            assertThat(migrated.silences()).isEmpty();
            assertThat(migrated.withheld()).isEmpty();
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
        }
    }

    @Test
    void a_version_4_database_keeps_what_its_storm_guard_and_silences_withheld_in_one_record_each() throws Exception {
        Path old = directory.resolve("v4.db");
        Finding garage = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                new RootCause(RootCause.Kind.ENTITY, "sensor.garage", "Garage temperature"), "Entity sensor.garage unavailable",
                List.of("sensor.garage"), T.minusSeconds(900), Map.of());
        String storm = "ha_entity_unavailable_long:entity:sensor.s00051";
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement()) {
            // The file as ha-diag at schema 4 made it: the same statements, then what its storm guard and a silence held.
            for (List<String> migration : SqliteDiagnosticStore.MIGRATIONS.subList(0, 4)) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 4");
            for (String key : List.of(storm, garage.alertKey())) {
                s.execute("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                        + " VALUES ('" + key + "', 'unavailable_entities', 'ENTITY_UNAVAILABLE_LONG', 'cid-" + key + "', " + T.toEpochMilli()
                        + ", " + T.toEpochMilli() + ", '')");
            }
            s.execute("INSERT INTO entity_baseline (scope, key, first_seen_ms) VALUES ('unwritten', '" + storm + "', " + T.toEpochMilli() + "),"
                    + " ('unwritten', 'ha_entity_unavailable_long:entity:gone', " + T.toEpochMilli() + "),"
                    + " ('entity', 'sensor.garage', " + T.minusSeconds(900).toEpochMilli() + ")");
            try (PreparedStatement held = raw.prepareStatement("INSERT INTO held_openings (alert_key, check_name, correlation_id, type,"
                    + " severity, summary, root_kind, root_id, root_name, entities, since_ms, held_at_ms, subject, reason)"
                    + " VALUES (?, 'unavailable_entities', ?, 'ENTITY_UNAVAILABLE_LONG', 'WARNING', ?, 'entity', 'sensor.garage',"
                    + " 'Garage temperature', 'sensor.garage', ?, ?, ?, 'SILENCE')")) {
                held.setString(1, garage.alertKey());
                held.setString(2, "cid-" + garage.alertKey());
                held.setString(3, garage.summary());
                held.setLong(4, garage.since().toEpochMilli());
                held.setLong(5, T.plusSeconds(1).toEpochMilli());
                held.setString(6, AlertSubject.of(garage).encode());
                held.executeUpdate();
            }
        }
        try (SqliteDiagnosticStore migrated = SqliteDiagnosticStore.open(old)) {
            assertThat(migrated.withheld()).containsExactly(
                    new Withheld(storm, "cid-" + storm, new Withheld.Storm(), T),
                    new Withheld(garage.alertKey(), "cid-" + garage.alertKey(),
                            new Withheld.Silenced("unavailable_entities", garage, AlertSubject.of(garage)), T.plusSeconds(1)));
            assertThat(migrated.unavailableSince()).as("the other first-seen times stay").containsOnlyKeys("sensor.garage");
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'held_openings'")) {
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM entity_baseline WHERE scope = 'unwritten'")) {
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void a_version_5_database_keeps_its_open_alerts_and_starts_the_log_error_memory_empty_then_keeps_it_across_a_reopen()
            throws Exception {
        Path old = directory.resolve("v5.db");
        String key = "ha_battery_low:device:dev1";
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement()) {
            // The file as ha-diag at schema 5 made it, with one open alert.
            for (List<String> migration : SqliteDiagnosticStore.MIGRATIONS.subList(0, 5)) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 5");
            s.execute("INSERT INTO alerts_sent (alert_key, check_name, type, correlation_id, opened_at_ms, last_sent_at_ms, entities)"
                    + " VALUES ('" + key + "', 'low_batteries', 'BATTERY_LOW', 'cid-1', " + T.toEpochMilli() + ", " + T.toEpochMilli()
                    + ", 'sensor.door_battery')");
        }
        LogErrorMemory memory = new LogErrorMemory(Map.of("homeassistant.components.demo|services.py:41|ERROR|" + T, 2L),
                Map.of("integration:demo", T.plusSeconds(3)), T.plusSeconds(4));
        try (SqliteDiagnosticStore migrated = SqliteDiagnosticStore.open(old)) {
            assertThat(migrated.openAlert(key)).hasValueSatisfying(alert -> assertThat(alert.correlationId()).isEqualTo("cid-1"));
            assertThat(migrated.logErrorMemory()).isEqualTo(LogErrorMemory.EMPTY);
            migrated.replaceLogErrorMemory(memory);
        }
        try (SqliteDiagnosticStore reopened = SqliteDiagnosticStore.open(old)) {
            assertThat(reopened.logErrorMemory()).isEqualTo(memory);
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = raw.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(6);
        }
    }

    @Test
    void learned_reporting_gaps_survive_a_reopen_are_replaced_per_entity_and_forgotten() {
        SqliteDiagnosticStore sqlite = (SqliteDiagnosticStore) store;
        ReportingProfile learned = ReportingProfile.first("sensor.a", T).observe(T.plusSeconds(300), true).observe(T.plusSeconds(610), true);
        ReportingProfile paused = ReportingProfile.first("sensor.b", T).observe(T.plusSeconds(5), false);
        sqlite.saveReportingProfiles(List.of(learned, paused), List.of());
        sqlite.close();

        SqliteDiagnosticStore reopened = SqliteDiagnosticStore.open(file);
        store = reopened;
        assertThat(reopened.reportingProfiles()).containsOnly(Map.entry("sensor.a", learned), Map.entry("sensor.b", paused));
        assertThat(reopened.reportingProfiles().get("sensor.a").gaps()).containsExactly(Duration.ofSeconds(300), Duration.ofSeconds(310));

        ReportingProfile next = learned.observe(T.plusSeconds(900), true);
        reopened.saveReportingProfiles(List.of(next), List.of("sensor.b"));
        assertThat(reopened.reportingProfiles()).containsOnly(Map.entry("sensor.a", next));
    }

    @Test
    @Timeout(60) // the busy timeout (5 s) bounds the wait; a hang fails here instead of stalling CI
    void a_database_locked_by_another_process_longer_than_the_busy_timeout_is_a_store_error_not_a_hang() throws Exception {
        try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = locker.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> store.saveOpenAlert(alert("k", "c")))
                    .isInstanceOf(DiagnosticStoreException.class).hasMessageContaining(file.getFileName().toString());
            s.execute("ROLLBACK");
        }
        store.saveOpenAlert(alert("k", "c"));
        assertThat(store.openAlert("k")).isPresent();
    }

    @Test
    void a_silence_the_cli_adds_through_its_own_connection_is_seen_by_the_agents_open_store() {
        SqliteDiagnosticStore agent = (SqliteDiagnosticStore) store;
        assertThat(agent.silences()).isEmpty(); // kept now: the agent reads them every second
        try (SqliteDiagnosticStore cli = SqliteDiagnosticStore.open(file)) {
            cli.addSilence(new dev.hadiag.core.silence.NewSilence(java.util.List.of(dev.hadiag.core.silence.SilenceMatcher.parse("type=*")), T,
                    T.plusSeconds(60), "", "cli"));
        }
        assertThat(agent.silences()).hasSize(1);
        agent.markSilenceStartAnnounced(agent.silences().get(0).id());
        assertThat(agent.silences().get(0).startAnnounced()).isTrue();
        agent.expireSilence(agent.silences().get(0).id(), T.plusSeconds(1));
        assertThat(agent.silences().get(0).expiredEarly()).isTrue();
        try (SqliteDiagnosticStore cli = SqliteDiagnosticStore.open(file)) {
            assertThat(cli.silences().get(0).expiredEarly()).isTrue();
        }
    }

    // --- the reads kept between cycles (SqliteDatabase#memo): every one must show what the file holds ---

    @Test
    void reads_kept_between_cycles_show_every_write_of_the_store_itself() {
        store.saveOpenAlert(alert("a", "c"));
        store.replaceUnavailableSince(Map.of("sensor.a", T));
        readAll(); // kept now
        store.saveOpenAlert(alert("b", "c"));
        store.replaceUnavailableSince(Map.of("sensor.a", T, "sensor.b", T.plusSeconds(1)));
        store.withhold(List.of(new Withheld("a", "cid-a", new Withheld.Storm(), T)));
        assertThat(store.allOpenAlerts()).extracting(OpenAlert::alertKey).containsExactly("a", "b");
        assertThat(store.unavailableSince()).containsOnlyKeys("sensor.a", "sensor.b");
        assertThat(store.withheld()).extracting(Withheld::alertKey).containsExactly("a");
        assertThat(store.withheld(Withheld.Storm.class)).hasSize(1);

        store.markSent(new AlertIntent(AlertIntent.Kind.RESOLVE, alert("a", "c"), T.plusSeconds(2), ""));
        store.closeAlert("b", T.plusSeconds(2));
        store.replaceUnavailableSince(Map.of());
        assertThat(store.allOpenAlerts()).isEmpty();
        assertThat(store.unavailableSince()).isEmpty();
        assertThat(store.withheld()).isEmpty(); // the resolution marked sent ended the record
        assertThat(store.withheld(Withheld.Storm.class)).isEmpty();

        store.saveOpenAlert(alert("c", "c"));
        assertThat(store.acknowledge("c", T.plusSeconds(3))).isPresent();
        assertThat(store.withheld()).extracting(Withheld::reason).containsExactly(new Withheld.Acknowledged());
        store.forgetWithheld(List.of("c"));
        assertThat(store.withheld()).isEmpty();
    }

    @Test
    void reads_kept_between_cycles_show_what_another_connection_committed() throws Exception {
        store.saveOpenAlert(alert("a", "c"));
        store.replaceUnavailableSince(Map.of("sensor.a", T));
        readAll();
        try (SqliteDiagnosticStore cli = SqliteDiagnosticStore.open(file)) { // as the CLI, or a second agent on the file
            assertThat(cli.acknowledge("a", T.plusSeconds(1))).isPresent();
            cli.saveOpenAlert(alert("b", "c"));
        }
        assertThat(store.allOpenAlerts()).extracting(OpenAlert::alertKey).containsExactly("a", "b");
        assertThat(store.withheld()).extracting(Withheld::alertKey).containsExactly("a");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = raw.createStatement()) {
            s.executeUpdate("UPDATE entity_baseline SET first_seen_ms = 0"); // an operator's sqlite3
            s.executeUpdate("DELETE FROM withheld WHERE alert_key = 'a'");
            s.executeUpdate("UPDATE alerts_sent SET resolved_at_ms = 1 WHERE alert_key = 'b'");
        }
        assertThat(store.unavailableSince()).containsExactly(Map.entry("sensor.a", Instant.EPOCH));
        assertThat(store.withheld()).isEmpty();
        assertThat(store.allOpenAlerts()).extracting(OpenAlert::alertKey).containsExactly("a");
    }

    @Test
    void a_store_reopened_on_the_file_reads_what_the_last_one_wrote_not_what_it_kept() {
        store.saveOpenAlert(alert("a", "c"));
        readAll();
        store.saveOpenAlert(alert("b", "c"));
        store.withhold(List.of(new Withheld("b", "cid-b", new Withheld.Storm(), T)));
        ((SqliteDiagnosticStore) store).close(); // what a crash leaves: the file, nothing kept
        store = SqliteDiagnosticStore.open(file);
        assertThat(store.allOpenAlerts()).extracting(OpenAlert::alertKey).containsExactly("a", "b");
        assertThat(store.withheld()).extracting(Withheld::alertKey).containsExactly("b");
    }

    @Test
    void what_a_read_returns_cannot_be_changed_by_its_caller() {
        store.saveOpenAlert(alert("a", "c"));
        store.replaceUnavailableSince(Map.of("sensor.a", T));
        assertThatThrownBy(() -> store.allOpenAlerts().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store.unavailableSince().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store.withheld().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(store.allOpenAlerts()).hasSize(1);
    }

    private void readAll() {
        store.allOpenAlerts();
        store.unavailableSince();
        store.withheld();
        store.withheld(Withheld.Storm.class);
    }
}
