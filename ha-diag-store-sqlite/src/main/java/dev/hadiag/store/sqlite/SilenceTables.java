package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The SQL of silences (schema version 4), kept apart from the alert tables. The caller holds the store's lock and, for
 * writes, its transaction.
 */
final class SilenceTables {

    /**
     * Schema migration 4: silences, and the openings they held back ({@code held_openings}, moved into {@code withheld} by
     * migration 5: {@link WithheldTable}).
     */
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
