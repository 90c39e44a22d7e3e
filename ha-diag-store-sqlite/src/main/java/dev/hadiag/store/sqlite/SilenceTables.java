package dev.hadiag.store.sqlite;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.HeldOpening;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The SQL of silences and held openings (schema version 4), kept apart from the alert tables. The caller holds the
 * store's lock and, for writes, its transaction.
 */
final class SilenceTables {

    /** Schema migration 3: silences, and the openings they (or the storm guard) held back. */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE silences (id INTEGER PRIMARY KEY AUTOINCREMENT, matchers TEXT NOT NULL, starts_at_ms INTEGER NOT NULL,"
                    + " ends_at_ms INTEGER NOT NULL, comment TEXT NOT NULL, created_by TEXT NOT NULL, expired_early INTEGER NOT NULL DEFAULT 0,"
                    + " start_announced INTEGER NOT NULL DEFAULT 0, end_announced INTEGER NOT NULL DEFAULT 0)",
            "CREATE TABLE held_openings (alert_key TEXT PRIMARY KEY, check_name TEXT NOT NULL, correlation_id TEXT NOT NULL,"
                    + " type TEXT NOT NULL, severity TEXT NOT NULL, summary TEXT NOT NULL, root_kind TEXT NOT NULL, root_id TEXT NOT NULL,"
                    + " root_name TEXT NOT NULL, entities TEXT NOT NULL, since_ms INTEGER NOT NULL, held_at_ms INTEGER NOT NULL,"
                    + " subject TEXT NOT NULL, reason TEXT NOT NULL)");

    private final Connection connection;
    private final BiFunction<String, SQLException, DiagnosticStoreException> failure;

    SilenceTables(Connection connection, BiFunction<String, SQLException, DiagnosticStoreException> failure) {
        this.connection = connection;
        this.failure = failure;
    }

    void hold(HeldOpening held) throws SQLException {
        Finding finding = held.finding();
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO held_openings (alert_key, check_name,"
                + " correlation_id, type, severity, summary, root_kind, root_id, root_name, entities, since_ms, held_at_ms, subject, reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, held.alertKey());
            insert.setString(2, held.check());
            insert.setString(3, held.correlationId());
            insert.setString(4, finding.type().name());
            insert.setString(5, finding.severity().name());
            insert.setString(6, finding.summary());
            insert.setString(7, finding.rootCause().kind().wire());
            insert.setString(8, finding.rootCause().id());
            insert.setString(9, finding.rootCause().name());
            insert.setString(10, String.join("\n", finding.entities()));
            insert.setLong(11, finding.since().toEpochMilli());
            insert.setLong(12, held.heldAt().toEpochMilli());
            insert.setString(13, held.subject().encode());
            insert.setString(14, held.reason().name());
            insert.executeUpdate();
        }
    }

    /** An opening marked sent after the hold, or a resolution marked sent, is the held event's end. */
    void endHold(AlertIntent intent) throws SQLException {
        String sql = intent.kind() == AlertIntent.Kind.RESOLVE ? "DELETE FROM held_openings WHERE alert_key = ? AND held_at_ms <= ?"
                : intent.kind() == AlertIntent.Kind.OPEN ? "DELETE FROM held_openings WHERE alert_key = ? AND held_at_ms < ?" : null;
        if (sql == null) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, intent.alertKey());
            delete.setLong(2, intent.kind() == AlertIntent.Kind.RESOLVE ? Long.MAX_VALUE : intent.at().toEpochMilli());
            delete.executeUpdate();
        }
    }

    Optional<HeldOpening> held(String alertKey) {
        return readHeld("SELECT * FROM held_openings WHERE alert_key = ?", alertKey).stream().findFirst();
    }

    List<HeldOpening> held() {
        return readHeld("SELECT * FROM held_openings ORDER BY held_at_ms, alert_key", null);
    }

    private List<HeldOpening> readHeld(String sql, String alertKey) {
        List<HeldOpening> held = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (alertKey != null) {
                select.setString(1, alertKey);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String entities = rs.getString("entities");
                    Finding finding = new Finding(AlertType.valueOf(rs.getString("type")), Severity.valueOf(rs.getString("severity")),
                            new RootCause(RootCause.Kind.fromWire(rs.getString("root_kind")), rs.getString("root_id"), rs.getString("root_name")),
                            rs.getString("summary"), entities.isEmpty() ? List.of() : Arrays.asList(entities.split("\n")),
                            Instant.ofEpochMilli(rs.getLong("since_ms")), Map.of());
                    held.add(new HeldOpening(rs.getString("check_name"), rs.getString("correlation_id"), finding,
                            AlertSubject.decode(rs.getString("subject")), Instant.ofEpochMilli(rs.getLong("held_at_ms")),
                            HeldOpening.Reason.valueOf(rs.getString("reason"))));
                }
            }
        } catch (SQLException e) {
            throw failure.apply("read held openings", e);
        } catch (IllegalArgumentException e) {
            throw failure.apply("read held openings", new SQLException("a held opening this version cannot read: " + e.getMessage(), e));
        }
        return held;
    }

    long add(NewSilence silence) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO silences (matchers, starts_at_ms, ends_at_ms, comment,"
                + " created_by) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, String.join("\n", silence.matchers().stream().map(SilenceMatcher::toString).toList()));
            insert.setLong(2, silence.startsAt().toEpochMilli());
            insert.setLong(3, silence.endsAt().toEpochMilli());
            insert.setString(4, silence.comment());
            insert.setString(5, silence.createdBy());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** @param where a fixed condition (no caller text): the silences read */
    List<Silence> silences(String where) {
        List<Silence> silences = new ArrayList<>();
        try (Statement select = connection.createStatement(); ResultSet rs = select.executeQuery("SELECT * FROM silences" + where + " ORDER BY id")) {
            while (rs.next()) {
                List<SilenceMatcher> matchers = Arrays.stream(rs.getString("matchers").split("\n")).map(SilenceMatcher::parse).toList();
                silences.add(new Silence(rs.getLong("id"), matchers, Instant.ofEpochMilli(rs.getLong("starts_at_ms")),
                        Instant.ofEpochMilli(rs.getLong("ends_at_ms")), rs.getString("comment"), rs.getString("created_by"),
                        rs.getInt("expired_early") != 0, rs.getInt("start_announced") != 0, rs.getInt("end_announced") != 0));
            }
        } catch (SQLException e) {
            throw failure.apply("read silences", e);
        } catch (IllegalArgumentException e) {
            throw failure.apply("read silences", new SQLException("a silence this version cannot read: " + e.getMessage(), e));
        }
        return silences;
    }
}
