package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store keeps its reads of the open alerts, the withheld records and the baseline between cycles
 * (docs/performance.md, section 8): the SQLite file must stay the truth. Runs that fail part-way through their
 * events, in the same process and in a store re-created from the file (what a crash leaves), open each alert once and
 * resolve it once, under one correlation id: no alert lost, none doubled.
 */
class KeptReadsCrashTest {

    static final int CAUSES = 120;

    @TempDir
    Path dir;

    @Test
    void runs_failing_part_way_then_a_store_reopened_from_the_file_write_each_opening_and_resolution_once() throws Exception {
        Path db = dir.resolve("ha_diag.db");
        Path events = dir.resolve("events");
        try (SyntheticHomeAssistant ha = SyntheticHomeAssistant.scatteredStorm(CAUSES);
                OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), SyntheticHomeAssistant.TOKEN))) {
            GivingOutSink sink = new GivingOutSink(FileSystemEventSink.open(events));
            SqliteDiagnosticStore first = SqliteDiagnosticStore.open(db);
            Diagnostics agent = diagnostics(ha, client, first, sink);

            sink.giveOutAfter(CAUSES / 3);
            assertThat(run(agent).status()).isEqualTo(CheckStatus.FAILED); // a third of the openings on disk
            assertThat(run(agent).eventsEmitted()).isEqualTo(CAUSES - CAUSES / 3); // the rest, none again
            assertThat(run(agent).eventsEmitted()).isZero(); // warm: everything open, read from what was kept

            ha.heal();
            sink.giveOutAfter(CAUSES / 4);
            assertThat(run(agent).status()).isEqualTo(CheckStatus.FAILED); // a quarter of the resolutions on disk
            first.close(); // the crash: nothing kept survives it, the file does

            try (SqliteDiagnosticStore reopened = SqliteDiagnosticStore.open(db)) {
                Diagnostics restarted = diagnostics(ha, client, reopened, sink);
                assertThat(run(restarted).eventsEmitted()).isEqualTo(CAUSES - CAUSES / 4);
                assertThat(run(restarted).eventsEmitted()).isZero();
                assertThat(reopened.allOpenAlerts()).isEmpty();
            }
        }

        Map<String, List<Event>> byKey;
        try (Stream<Event> listed = new FileSystemEventLog(events).find(EventQuery.all())) {
            byKey = listed.collect(Collectors.groupingBy(e -> (String) e.payload().get("alert_key")));
        }
        Set<String> expected = IntStream.range(0, CAUSES).mapToObj(i -> "ha_entity_unavailable_long:entity:sensor.device" + i + "_0")
                .collect(Collectors.toSet());
        assertThat(byKey.keySet()).isEqualTo(expected);
        byKey.forEach((key, written) -> {
            assertThat(written).as(key).extracting(Event::type)
                    .containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
            assertThat(written).as(key).extracting(Event::correlationId).containsOnly(written.get(0).correlationId());
        });
    }

    private static CheckReport run(Diagnostics agent) {
        return agent.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
    }

    private Diagnostics diagnostics(SyntheticHomeAssistant ha, OkHttpHomeAssistant client, DiagnosticStore store, EventSink sink)
            throws Exception {
        Path config = dir.resolve("config.yaml");
        // No storm guard: every opening is its own event, so a failure can fall between any two of them.
        Files.writeString(config, "alerts: { max_events_per_run: 1000000 }\nchecks:\n  unavailable_entities: { threshold: 0s }\n");
        AgentConfig agentConfig = ConfigLoader.load(Map.of("HA_URL", ha.url(), "HA_TOKEN", SyntheticHomeAssistant.TOKEN.value(),
                "NODE_NAME", "kept-reads"), config.toString(), () -> "kept-reads");
        return DiagnosticsFactory.create(agentConfig, List.of(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()), client, store, sink,
                Clock.systemUTC());
    }

    /** The real directory, until it gives out after a given number of events (a full disk, a crash mid-run). */
    private static final class GivingOutSink implements EventSink {
        private final FileSystemEventSink files;
        private final AtomicInteger left = new AtomicInteger(Integer.MAX_VALUE);

        GivingOutSink(FileSystemEventSink files) {
            this.files = files;
        }

        void giveOutAfter(int events) {
            left.set(events);
        }

        @Override
        public void emit(Event event) {
            if (left.getAndDecrement() <= 0) {
                left.set(Integer.MAX_VALUE); // the next run finds it working again
                throw new EventSinkException("no space left on device", null);
            }
            files.emit(event);
        }
    }
}
