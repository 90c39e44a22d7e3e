package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha-diag alerts} and {@code alerts show}: operations.md's lines through the launcher, over a real database and a
 * real events tree as an agent leaves them (an acknowledged device alert with its opening and a repeat written, a
 * silenced entity alert never written, a plain update alert).
 */
class AlertsJarIT {

    private static final Duration LIMIT = Duration.ofMinutes(1);
    private static final String DOC_ID = "7c1d2e4f-5a6b-4c3d-8e9f-0a1b2c3d4e5f";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path db;
    private Path events;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private Map<String, String> env() {
        return Map.of("PATH", DeployDoc.REPO.resolve("bin") + ":" + System.getenv("PATH"),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "HA_DIAG_EVENTS_DIR", events.toString(),
                "HA_DIAG_DB", db.toString(), "HA_DIAG_CONFIG", "");
    }

    private static Event alertEvent(Instant at, String cid, Finding finding, boolean repeat) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("check", "unavailable_entities");
        payload.put("location_tag", "lab");
        payload.put("ha_url", "http://ha:8123");
        payload.put("alert_key", finding.alertKey());
        payload.put("summary", finding.summary());
        payload.put("root_cause", finding.rootCause().toJson());
        payload.put("since", finding.since().toString());
        payload.put("entities", finding.entities());
        if (repeat) {
            payload.put("repeat", true);
        }
        payload.putAll(finding.details());
        return Event.of(at, "piha", finding.type().type(), finding.severity(), "ha-diag-agent", "homeassistant", cid, payload);
    }

    @BeforeEach
    void anAgentsState() {
        db = dir.resolve("ha_diag.db");
        events = dir.resolve("events");
        FileSystemEventSink sink = FileSystemEventSink.open(events);
        Instant opened = now.minus(Duration.ofHours(3));
        Finding garage = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, "d1", "Garage hub"),
                "3 entities of device Garage hub are unavailable", List.of("sensor.a", "sensor.b", "sensor.c"), opened, Map.of("device", "Garage hub"));
        Finding hallway = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                new RootCause(RootCause.Kind.ENTITY, "sensor.hallway_temperature", "Hallway"), "sensor.hallway_temperature has been unavailable for 10 min",
                List.of("sensor.hallway_temperature"), now.minusSeconds(600), Map.of());
        Finding firmware = new Finding(AlertType.UPDATE_AVAILABLE, Severity.INFO, new RootCause(RootCause.Kind.UPDATE, "update.fw", "Router firmware"),
                "Router firmware: 1.0 → 1.1", List.of("update.fw"), now.minus(Duration.ofDays(1)), Map.of("latest_version", "1.1"));
        Instant repeated = opened.plus(Duration.ofHours(1));
        sink.emit(alertEvent(opened, DOC_ID, garage, false));
        sink.emit(alertEvent(repeated, DOC_ID, new Finding(garage.type(), garage.severity(), garage.rootCause(),
                "4 entities of device Garage hub are unavailable", garage.entities(), garage.since(), garage.details()), true));
        sink.emit(alertEvent(firmware.since(), "cid-fw", firmware, false));
        try (SqliteDiagnosticStore store = SqliteDiagnosticStore.open(db)) {
            store.saveOpenAlert(new OpenAlert(garage.alertKey(), "unavailable_entities", garage.type(), DOC_ID, opened, repeated, garage.entities()));
            store.saveOpenAlert(new OpenAlert(hallway.alertKey(), "unavailable_entities", hallway.type(), "cid-hall", hallway.since(), hallway.since(),
                    hallway.entities()));
            store.saveOpenAlert(new OpenAlert(firmware.alertKey(), "updates_available", firmware.type(), "cid-fw", firmware.since(), firmware.since(),
                    firmware.entities()));
            long silence = store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.hallway_*")), Duration.ofHours(2),
                    now.minusSeconds(700), "batteries", "test")).id();
            assertThat(silence).isPositive();
            store.withhold(List.of(new Withheld(hallway.alertKey(), "cid-hall", new Withheld.Silenced("unavailable_entities", hallway,
                    AlertSubject.of(hallway)), hallway.since()), new Withheld(garage.alertKey(), DOC_ID, new Withheld.Acknowledged(), repeated)));
        }
    }

    @Test
    void the_documented_lines_list_the_open_alerts_with_their_state_and_show_one_incident_in_time_order() throws Exception {
        List<String> lines = DeployDoc.operationsBlock("alerts").lines().toList();
        assertThat(lines).hasSize(3);

        HostCommand listed = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", lines.get(0)));
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output().lines().filter(l -> l.contains("since "))).hasSize(3);
        assertThat(listed.output()).contains("warning\tsince " + now.minus(Duration.ofHours(3)) + "\tha_entity_unavailable_long\tacknowledged\t" + DOC_ID
                + "\t4 entities of device Garage hub are unavailable");
        assertThat(listed.output()).containsPattern("ha_entity_unavailable_long\tsilenced \\(silence \\d+ until [^)]+\\)\tcid-hall\t"
                + "sensor.hallway_temperature has been unavailable for 10 min");
        assertThat(listed.output()).contains("info\tsince " + now.minus(Duration.ofDays(1)) + "\tha_update_available\treported\tcid-fw\tRouter firmware: 1.0 → 1.1");

        HostCommand json = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", lines.get(1)));
        assertThat(json.exit()).as(json.output()).isZero();
        JsonNode alerts = JSON.readTree(json.output().substring(json.output().indexOf('{'))).get("alerts");
        assertThat(alerts).hasSize(3);
        for (JsonNode alert : alerts) {
            assertThat(alert.fieldNames()).toIterable().contains("severity", "summary", "since", "details", "silenced", "held", "acknowledged");
            if (alert.get("correlation_id").asText().equals(DOC_ID)) {
                assertThat(alert.get("acknowledged").asBoolean()).isTrue();
                assertThat(alert.get("details").get("device").asText()).isEqualTo("Garage hub");
            } else if (alert.get("correlation_id").asText().equals("cid-hall")) {
                assertThat(alert.get("silenced").get("silence_id").asLong()).isPositive();
                assertThat(alert.get("held").get("reason").asText()).isEqualTo("silenced");
            } else {
                assertThat(alert.get("silenced").isNull()).isTrue();
                assertThat(alert.get("held").isNull()).isTrue();
                assertThat(alert.get("details").get("latest_version").asText()).isEqualTo("1.1");
            }
        }

        HostCommand shown = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", lines.get(2)));
        assertThat(shown.exit()).as(shown.output()).isZero();
        assertThat(shown.output().lines().filter(l -> l.contains("ha_entity_unavailable_long")).toList()).satisfiesExactly(
                first -> assertThat(first).endsWith("3 entities of device Garage hub are unavailable"),
                second -> assertThat(second).endsWith("4 entities of device Garage hub are unavailable"));
    }

    @Test
    void an_unknown_correlation_id_is_exit_2_naming_the_tree_and_a_missing_database_is_exit_2_naming_its_path() throws Exception {
        HostCommand unknown = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", "ha-diag alerts show nope"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.output()).contains("no event with correlation id nope under " + events);

        Path missing = dir.resolve("typo.db");
        HostCommand noDb = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", "ha-diag alerts --db " + missing));
        assertThat(noDb.exit()).isEqualTo(2);
        assertThat(noDb.output()).contains("no agent database at " + missing);
        assertThat(missing).doesNotExist();
    }
}
