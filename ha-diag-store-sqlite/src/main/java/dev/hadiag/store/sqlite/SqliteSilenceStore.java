package dev.hadiag.store.sqlite;

import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@link SilenceStore} port on the shared {@link SqliteDatabase}; the SQL of the rows is in {@link SilenceTables}. */
final class SqliteSilenceStore implements SilenceStore {

    private final SqliteDatabase db;
    private final SilenceTables tables;

    SqliteSilenceStore(SqliteDatabase db) {
        this.db = db;
        this.tables = new SilenceTables(db.connection(), db::failure);
    }

    @Override
    public Silence addSilence(NewSilence silence) {
        synchronized (db) {
            long[] id = new long[1];
            db.write(() -> id[0] = tables.add(silence));
            return silence(id[0]).orElseThrow();
        }
    }

    @Override
    public List<Silence> silences() {
        // The agent asks every second (a silence the CLI adds takes effect within it): kept while the table is unchanged.
        return db.memo("silences", "silences", "read silences", () -> List.copyOf(tables.silences("")));
    }

    @Override
    public Optional<Silence> silence(long id) {
        return db.read("read silences", () -> tables.silences(" WHERE id = " + id).stream().findFirst());
    }

    @Override
    public Optional<Silence> expireSilence(long id, Instant at) {
        synchronized (db) {
            db.write(() -> db.update("UPDATE silences SET ends_at_ms = ?, expired_early = 1 WHERE id = ? AND ends_at_ms > ?",
                    at.toEpochMilli(), id, at.toEpochMilli()));
            return silence(id);
        }
    }

    @Override
    public void markSilenceStartAnnounced(long id) {
        db.write(() -> db.update("UPDATE silences SET start_announced = 1 WHERE id = ?", id));
    }

    @Override
    public void markSilenceEndAnnounced(long id) {
        db.write(() -> db.update("UPDATE silences SET end_announced = 1 WHERE id = ?", id));
    }

    @Override
    public void pruneSilences(Instant before) {
        db.write(() -> db.update("DELETE FROM silences WHERE end_announced = 1 AND ends_at_ms < ?", before.toEpochMilli()));
    }
}
