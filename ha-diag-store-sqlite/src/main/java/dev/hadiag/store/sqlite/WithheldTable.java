package dev.hadiag.store.sqlite;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.Withheld;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The SQL of the {@link Withheld} records (schema version 5): one row per alert whose events are withheld, the silenced
 * opening's content in the columns only a silence's record fills. The caller holds the store's lock and, for writes, its
 * transaction.
 */
final class WithheldTable {

    private static final String STORM = "STORM";
    private static final String SILENCE = "SILENCE";
    static final String ACKNOWLEDGED = "ACKNOWLEDGED";

    /**
     * Schema migration 5: one record of what was withheld, whoever withheld it. Silences' {@code held_openings} move in
     * whole; the storm guard's first-seen scope {@code unwritten} (alert key → when held) moves in with the correlation id
     * of the open alert (a key whose alert is not open any more was a leftover the next run dropped anyway).
     */
    static final List<String> MIGRATION = List.of(
            "CREATE TABLE withheld (alert_key TEXT PRIMARY KEY, correlation_id TEXT NOT NULL, reason TEXT NOT NULL,"
                    + " since_ms INTEGER NOT NULL, check_name TEXT, type TEXT, severity TEXT, summary TEXT, root_kind TEXT, root_id TEXT,"
                    + " root_name TEXT, entities TEXT, finding_since_ms INTEGER, subject TEXT)",
            // The silences' poll reads its own few records every second, past a storm's thousands.
            "CREATE INDEX withheld_by_reason ON withheld (reason, since_ms)",
            "INSERT INTO withheld (alert_key, correlation_id, reason, since_ms, check_name, type, severity, summary, root_kind, root_id,"
                    + " root_name, entities, finding_since_ms, subject) SELECT alert_key, correlation_id, reason, held_at_ms, check_name,"
                    + " type, severity, summary, root_kind, root_id, root_name, entities, since_ms, subject FROM held_openings",
            "INSERT OR IGNORE INTO withheld (alert_key, correlation_id, reason, since_ms) SELECT b.key, a.correlation_id, '" + STORM + "',"
                    + " b.first_seen_ms FROM entity_baseline b JOIN alerts_sent a ON a.alert_key = b.key AND a.resolved_at_ms IS NULL"
                    + " WHERE b.scope = 'unwritten'",
            "DELETE FROM entity_baseline WHERE scope = 'unwritten'",
            "DROP TABLE held_openings");

    private final Connection connection;
    private final BiFunction<String, SQLException, DiagnosticStoreException> failure;

    WithheldTable(Connection connection, BiFunction<String, SQLException, DiagnosticStoreException> failure) {
        this.connection = connection;
        this.failure = failure;
    }

    void withhold(List<Withheld> records) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO withheld (alert_key, correlation_id, reason,"
                + " since_ms, check_name, type, severity, summary, root_kind, root_id, root_name, entities, finding_since_ms, subject)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Withheld withheld : records) {
                insert.setString(1, withheld.alertKey());
                insert.setString(2, withheld.correlationId());
                insert.setString(3, wire(withheld.reason()));
                insert.setLong(4, withheld.since().toEpochMilli());
                if (withheld.reason() instanceof Withheld.Silenced silenced) {
                    Finding finding = silenced.opening();
                    insert.setString(5, silenced.check());
                    insert.setString(6, finding.type().name());
                    insert.setString(7, finding.severity().name());
                    insert.setString(8, finding.summary());
                    insert.setString(9, finding.rootCause().kind().wire());
                    insert.setString(10, finding.rootCause().id());
                    insert.setString(11, finding.rootCause().name());
                    insert.setString(12, String.join("\n", finding.entities()));
                    insert.setLong(13, finding.since().toEpochMilli());
                    insert.setString(14, silenced.subject().encode());
                } else {
                    for (int column = 5; column <= 14; column++) {
                        insert.setNull(column, column == 13 ? Types.INTEGER : Types.VARCHAR);
                    }
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    void forget(Collection<String> alertKeys) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM withheld WHERE alert_key = ?")) {
            for (String key : alertKeys) {
                delete.setString(1, key);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /** An opening marked sent after the record was made, or a resolution marked sent, is the withheld events' end. */
    void endWith(AlertIntent intent) throws SQLException {
        if (intent.kind() == AlertIntent.Kind.REPEAT) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(intent.kind() == AlertIntent.Kind.RESOLVE
                ? "DELETE FROM withheld WHERE alert_key = ?" : "DELETE FROM withheld WHERE alert_key = ? AND since_ms < ?")) {
            delete.setString(1, intent.alertKey());
            if (intent.kind() == AlertIntent.Kind.OPEN) {
                delete.setLong(2, intent.at().toEpochMilli());
            }
            delete.executeUpdate();
        }
    }

    /** @param reason the one reason read, or null for all */
    List<Withheld> read(Class<? extends Withheld.Reason> reason) {
        String where = reason == null ? "" : " WHERE reason = '" + wire(reason) + "'";
        List<Withheld> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM withheld" + where + " ORDER BY since_ms, alert_key");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                records.add(new Withheld(rs.getString("alert_key"), rs.getString("correlation_id"), reason(rs),
                        Instant.ofEpochMilli(rs.getLong("since_ms"))));
            }
        } catch (SQLException e) {
            throw failure.apply("read withheld alerts", e);
        } catch (IllegalArgumentException e) {
            throw failure.apply("read withheld alerts", new SQLException("a withheld alert this version cannot read: " + e.getMessage(), e));
        }
        return records;
    }

    private static Withheld.Reason reason(ResultSet rs) throws SQLException {
        String reason = rs.getString("reason");
        switch (reason) {
            case STORM:
                return new Withheld.Storm();
            case ACKNOWLEDGED:
                return new Withheld.Acknowledged();
            case SILENCE:
                String entities = rs.getString("entities");
                Finding finding = new Finding(AlertType.valueOf(rs.getString("type")), Severity.valueOf(rs.getString("severity")),
                        new RootCause(RootCause.Kind.fromWire(rs.getString("root_kind")), rs.getString("root_id"), rs.getString("root_name")),
                        rs.getString("summary"), entities.isEmpty() ? List.of() : Arrays.asList(entities.split("\n")),
                        Instant.ofEpochMilli(rs.getLong("finding_since_ms")), Map.of());
                return new Withheld.Silenced(rs.getString("check_name"), finding, AlertSubject.decode(rs.getString("subject")));
            default:
                throw new IllegalArgumentException("unknown reason '" + reason + "'");
        }
    }

    private static String wire(Withheld.Reason reason) {
        return wire(reason.getClass());
    }

    private static String wire(Class<? extends Withheld.Reason> reason) {
        if (reason == Withheld.Storm.class) {
            return STORM;
        }
        return reason == Withheld.Silenced.class ? SILENCE : ACKNOWLEDGED;
    }
}
