package dev.hadiag.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.RecordingEventSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new (or lost) database learns the open alerts from the event files instead of opening them again under new ids. */
class AdoptOpenAlertsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final RecordingEventSink files = new RecordingEventSink();

    private void written(int minutes, String node, String type, String correlationId, String key, List<String> entities) {
        files.emit(Event.of(T0.plusSeconds(60L * minutes), node, type, Severity.WARNING, "ha-diag", "home-assistant", correlationId,
                Map.of("check", "unavailable_entities", "alert_key", key, "entities", entities)));
    }

    @Test
    void a_new_store_adopts_what_the_files_show_open_under_its_ids_and_not_what_they_show_resolved() {
        written(0, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-open", "entity:sensor.a", List.of("sensor.a"));
        written(1, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-done", "entity:sensor.b", List.of("sensor.b"));
        written(2, "piha", EventTypes.HA_ENTITY_RECOVERED, "c-done", "entity:sensor.b", List.of("sensor.b"));
        written(3, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-open", "entity:sensor.a", List.of("sensor.a", "sensor.a2"));
        written(4, "other-node", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-other", "entity:sensor.c", List.of("sensor.c"));
        // Resolved, then opened again: the second incident's id is the open one.
        written(5, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-first", "entity:sensor.d", List.of("sensor.d"));
        written(6, "piha", EventTypes.HA_ENTITY_RECOVERED, "c-first", "entity:sensor.d", List.of("sensor.d"));
        written(7, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-second", "entity:sensor.d", List.of("sensor.d"));

        List<OpenAlert> adopted = IntentReconciliation.adoptOpenAlerts(store, files.asLog(), "piha", T0.plusSeconds(3600)).adopted();

        assertThat(adopted).extracting(OpenAlert::alertKey).containsExactly("entity:sensor.a", "entity:sensor.d");
        assertThat(store.openAlert("entity:sensor.a")).hasValueSatisfying(alert -> {
            assertThat(alert.correlationId()).isEqualTo("c-open");
            assertThat(alert.type()).isEqualTo(AlertType.ENTITY_UNAVAILABLE_LONG);
            assertThat(alert.check()).isEqualTo("unavailable_entities");
            assertThat(alert.openedAt()).isEqualTo(T0);
            assertThat(alert.lastSentAt()).isEqualTo(T0.plusSeconds(180));
            assertThat(alert.entities()).containsExactly("sensor.a", "sensor.a2");
        });
        assertThat(store.openAlert("entity:sensor.d")).hasValueSatisfying(alert -> assertThat(alert.correlationId()).isEqualTo("c-second"));
        assertThat(store.openAlert("entity:sensor.b")).isEmpty();
        assertThat(store.openAlert("entity:sensor.c")).as("another node's alert").isEmpty();
    }

    @Test
    void a_store_reconciled_before_reads_only_the_files_since_then_and_an_alert_it_has_under_the_same_id_is_left_as_it_is() {
        written(0, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-1", "entity:sensor.a", List.of("sensor.a"));
        OpenAlert known = new OpenAlert("entity:sensor.a", "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c-1", T0, T0,
                List.of("sensor.a"));
        store.saveOpenAlert(known);
        Instant later = T0.plus(java.time.Duration.ofDays(3));
        assertThat(IntentReconciliation.adoptOpenAlerts(store, files.asLog(), "piha", later)).isEqualTo(
                new IntentReconciliation.Adoption(List.of(), List.of()));
        assertThat(store.openAlert("entity:sensor.a")).contains(known);

        // An opening days before the mark is not read again: the store saw it (and has since decided about it).
        store.closeAlert("entity:sensor.a", T0.plusSeconds(60));
        assertThat(IntentReconciliation.adoptOpenAlerts(store, files.asLog(), "piha", later.plusSeconds(60)).adopted()).isEmpty();
        assertThat(store.openAlert("entity:sensor.a")).isEmpty();
    }

    @Test
    void a_store_older_than_its_files_takes_their_newer_incident_and_closes_what_they_resolved() {
        OpenAlert stale = new OpenAlert("entity:sensor.a", "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c-old", T0, T0,
                List.of("sensor.a"));
        OpenAlert resolvedSince = new OpenAlert("entity:sensor.b", "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c-b", T0, T0,
                List.of("sensor.b"));
        store.saveOpenAlert(stale);
        store.saveOpenAlert(resolvedSince);
        IntentReconciliation.adoptOpenAlerts(store, files.asLog(), "piha", T0); // the mark: reconciled at T0, as a backup made then
        written(10, "piha", EventTypes.HA_ENTITY_RECOVERED, "c-old", "entity:sensor.a", List.of("sensor.a"));
        written(20, "piha", EventTypes.HA_ENTITY_UNAVAILABLE_LONG, "c-new", "entity:sensor.a", List.of("sensor.a"));
        written(30, "piha", EventTypes.HA_ENTITY_RECOVERED, "c-b", "entity:sensor.b", List.of("sensor.b"));

        IntentReconciliation.Adoption adoption = IntentReconciliation.adoptOpenAlerts(store, files.asLog(), "piha", T0.plusSeconds(3600));

        assertThat(adoption.adopted()).extracting(OpenAlert::correlationId).containsExactly("c-new");
        assertThat(adoption.closed()).extracting(OpenAlert::correlationId).containsExactly("c-b");
        assertThat(store.openAlert("entity:sensor.a")).hasValueSatisfying(alert -> assertThat(alert.correlationId()).isEqualTo("c-new"));
        assertThat(store.openAlert("entity:sensor.b")).isEmpty();
    }
}
