package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's cursor and order over a real events tree, with a destination that records, or fails on demand. */
class EventRelayTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Takes events until told to fail, then fails every delivery as a down broker would. */
    static final class RecordingDestination implements Destination {
        final List<String> delivered = new ArrayList<>();
        boolean down;
        int resets;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public boolean wants(RelayEvent event) {
            return true;
        }

        @Override
        public void deliver(RelayEvent event) throws DeliveryException {
            if (down) {
                throw new DeliveryException("down", true, null);
            }
            delivered.add(event.event().correlationId());
        }

        @Override
        public void reset() {
            resets++;
        }

        @Override
        public void close() {
        }
    }

    private final RecordingDestination destination = new RecordingDestination();

    private EventRelay relay(RelayLedger ledger) {
        return new EventRelay(new EventTree(dir.resolve("events")), ledger, destination, CLOCK, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private void emit(Instant at, String node, String correlation) {
        FileSystemEventSink.open(dir.resolve("events")).emit(Event.of(at, node, "ha_entity_unavailable_long", Severity.WARNING,
                "ha-diag-agent", "homeassistant", correlation, Map.of("alert_key", "k-" + correlation)));
    }

    @Test
    void events_go_out_oldest_first_across_days_and_nodes_and_each_only_once() throws Exception {
        emit(NOW.minusSeconds(86_400 * 5), "b", "old");
        emit(NOW.minusSeconds(20), "b", "second");
        emit(NOW.minusSeconds(30), "a", "first");
        try (RelayLedger ledger = RelayLedger.open(dir.resolve("relay.db"))) {
            assertThat(relay(ledger).pass()).isEqualTo(3);
            assertThat(destination.delivered).containsExactly("old", "first", "second");
            emit(NOW.minusSeconds(10), "a", "third");
            assertThat(relay(ledger).pass()).isEqualTo(1);
            assertThat(destination.delivered).containsExactly("old", "first", "second", "third");
            // The five-day-old day is done: the ledger keeps the day, not its files.
            assertThat(ledger.doneDays("recording")).containsExactly(NOW.minusSeconds(86_400 * 5).toString().substring(0, 10));
        }
        try (RelayLedger reopened = RelayLedger.open(dir.resolve("relay.db"))) {
            assertThat(relay(reopened).pass()).as("a restart resends nothing that was acknowledged").isZero();
        }
    }

    @Test
    void a_destination_that_fails_keeps_the_head_of_the_queue_until_it_takes_it() throws Exception {
        emit(NOW.minusSeconds(30), "a", "first");
        emit(NOW.minusSeconds(20), "a", "second");
        try (RelayLedger ledger = RelayLedger.open(dir.resolve("relay.db"))) {
            destination.down = true;
            assertThatThrownBy(() -> relay(ledger).pass()).isInstanceOf(DeliveryException.class);
            destination.down = false;
            relay(ledger).pass();
            assertThat(destination.delivered).containsExactly("first", "second");
        }
    }

    @Test
    void garbage_is_skipped_once_settled_a_fifo_never_blocks_and_a_young_unparsable_file_holds_back_what_follows() throws Exception {
        emit(NOW.minusSeconds(30), "a", "first");
        Path node = dir.resolve("events").resolve(NOW.toString().substring(0, 10)).resolve("a");
        Path settled = Files.writeString(node.resolve("20261124T115959.000Z_junk_00000000-0000-0000-0000-000000000001.json"), "{not json");
        Files.setLastModifiedTime(settled, FileTime.from(NOW.minusSeconds(60)));
        Path young = Files.writeString(node.resolve("20261124T115959.500Z_junk_00000000-0000-0000-0000-000000000002.json"), "{\"half\": ");
        Files.setLastModifiedTime(young, FileTime.from(NOW));
        Process mkfifo = new ProcessBuilder("mkfifo", node.resolve("20261124T115959.200Z_fifo_00000000-0000-0000-0000-000000000003.json").toString())
                .start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
        // Settled by the fixed clock: with the real time of its creation it would count as young once the real time passes
        // NOW. touch sets it by path; Files.setLastModifiedTime opens the file, which blocks on a fifo.
        Process touch = new ProcessBuilder("touch", "-m", "-d", "@" + NOW.minusSeconds(60).getEpochSecond(),
                node.resolve("20261124T115959.200Z_fifo_00000000-0000-0000-0000-000000000003.json").toString()).start();
        assertThat(touch.waitFor(10, TimeUnit.SECONDS) && touch.exitValue() == 0).isTrue();
        emit(NOW.minusMillis(100), "a", "after-the-young-file");
        try (RelayLedger ledger = RelayLedger.open(dir.resolve("relay.db"))) {
            assertThat(relay(ledger).pass()).isEqualTo(1);
            Set<String> recorded = ledger.delivered("recording", NOW.toString().substring(0, 10));
            assertThat(recorded).contains("a/" + settled.getFileName(), "a/20261124T115959.200Z_fifo_00000000-0000-0000-0000-000000000003.json")
                    .doesNotContain("a/" + young.getFileName());
            assertThat(destination.delivered).as("nothing overtakes the young file").containsExactly("first");
        }
    }

    @Test
    void an_mqtt_topic_level_never_carries_a_wildcard_or_a_separator() {
        assertThat(MqttDestination.level("ha_entity_unavailable_long:device:a/b+c#d")).isEqualTo("ha_entity_unavailable_long:device:a_b_c_d");
        assertThat(MqttDestination.level("")).isEqualTo("_");
    }
}
