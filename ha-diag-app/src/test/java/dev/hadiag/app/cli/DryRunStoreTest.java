package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.DiagnosticStoreContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dry run's store behaves as every store must, SQLite's included, and keeps times as SQLite's columns do. */
class DryRunStoreTest extends DiagnosticStoreContract {

    @Override
    protected DiagnosticStore newStore() {
        return new DryRunStore();
    }

    @Override
    protected List<CheckRun> runs(String check) {
        return ((DryRunStore) store).runs(check);
    }

    @Test
    void times_read_back_to_the_millisecond_as_from_a_database() {
        Instant precise = Instant.parse("2026-12-07T18:00:00.123456789Z");
        store.replaceUnavailableSince(Map.of("sensor.a", precise));
        store.saveOpenAlert(new OpenAlert("entity:sensor.a", "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "cid", precise, precise,
                List.of("sensor.a")));
        Instant millis = Instant.parse("2026-12-07T18:00:00.123Z");
        assertThat(store.unavailableSince()).containsEntry("sensor.a", millis);
        assertThat(store.openAlert("entity:sensor.a").orElseThrow().openedAt()).isEqualTo(millis);
    }
}
