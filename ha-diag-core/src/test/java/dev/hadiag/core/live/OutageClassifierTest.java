package dev.hadiag.core.live;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.ha.LiveSignal.DisconnectCause;
import dev.hadiag.core.live.OutageClassifier.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class OutageClassifierTest {

    @ParameterizedTest(name = "announced={0} maintenance={1} refused={2} -> {3}")
    @CsvSource({
            "false, false, false, UNREACHABLE",
            "false, false, true,  CRASHED",
            "true,  false, false, PLANNED",
            "true,  false, true,  PLANNED",
            "false, true,  false, PLANNED",
            "false, true,  true,  PLANNED",
            "true,  true,  true,  PLANNED",
    })
    void the_rule(boolean announced, boolean maintenance, boolean refused, Kind expected) {
        assertThat(OutageClassifier.classify(announced, maintenance, refused)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} waits {1} s")
    @CsvSource({"PLANNED, 300", "CRASHED, 0", "UNREACHABLE, 10"})
    void each_kind_waits_its_own_grace(Kind kind, long seconds) {
        assertThat(OutageClassifier.graceFor(kind, Duration.ofSeconds(10), Duration.ofMinutes(5))).hasSeconds(seconds);
    }

    /** A sequence of what the connection saw after a connection was up, and what it makes of the outage. */
    record Scenario(String name, boolean stopAnnounced, List<DisconnectCause> causes, Kind kind, boolean restartReported,
            boolean planned) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> scenarios() {
        return List.of(
                new Scenario("2024.3 restart: stop event, dropped socket, refused port", true,
                        List.of(DisconnectCause.OTHER, DisconnectCause.REFUSED), Kind.PLANNED, true, true),
                new Scenario("2026.11 restart: normal close frame, refused port", false,
                        List.of(DisconnectCause.CLOSED_BY_HA, DisconnectCause.REFUSED), Kind.PLANNED, true, true),
                new Scenario("kill -9: dropped socket, refused port", false,
                        List.of(DisconnectCause.OTHER, DisconnectCause.REFUSED), Kind.CRASHED, true, false),
                new Scenario("network blip: dropped socket, timeouts", false,
                        List.of(DisconnectCause.OTHER, DisconnectCause.UNREACHABLE, DisconnectCause.UNREACHABLE),
                        Kind.UNREACHABLE, false, false),
                new Scenario("timeouts first, then the host refuses: HA's process is down", false,
                        List.of(DisconnectCause.UNREACHABLE, DisconnectCause.REFUSED), Kind.CRASHED, true, false),
                new Scenario("a dropped socket and an immediate reconnect", false,
                        List.of(DisconnectCause.OTHER), Kind.UNREACHABLE, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("scenarios")
    void a_sequence_of_signals_is_classified_and_its_end_reported(Scenario scenario) {
        OutageClassifier outages = new OutageClassifier();
        if (scenario.stopAnnounced()) {
            outages.onStopAnnounced(T0);
        }
        boolean connected = true;
        for (int i = 0; i < scenario.causes().size(); i++) {
            outages.onDisconnected(T0.plusSeconds(1 + i), scenario.causes().get(i), connected, false);
            connected = false;
        }
        assertThat(outages.current()).contains(scenario.kind());
        var restart = outages.onConnected(T0.plusSeconds(30));
        assertThat(restart.isPresent()).isEqualTo(scenario.restartReported());
        restart.ifPresent(r -> {
            assertThat(r.planned()).isEqualTo(scenario.planned());
            assertThat(r.downSince()).isEqualTo(T0.plusSeconds(1));
            assertThat(r.backAt()).isEqualTo(T0.plusSeconds(30));
        });
        assertThat(outages.current()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DisconnectCause.class)
    void before_the_first_connection_nothing_is_classified_so_the_plain_grace_applies(DisconnectCause cause) {
        OutageClassifier outages = new OutageClassifier();
        outages.onDisconnected(T0, cause, false, false);
        assertThat(outages.current()).isEmpty();
        assertThat(outages.onConnected(T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void maintenance_makes_an_unannounced_crash_planned_and_reports_the_restart_as_planned() {
        OutageClassifier outages = new OutageClassifier();
        outages.onDisconnected(T0, DisconnectCause.OTHER, true, true);
        outages.onDisconnected(T0.plusMillis(5), DisconnectCause.REFUSED, false, false);
        assertThat(outages.current()).contains(Kind.PLANNED);
        assertThat(outages.onConnected(T0.plusSeconds(60))).hasValueSatisfying(r -> assertThat(r.planned()).isTrue());
    }

    @Test
    void an_announcement_is_forgotten_once_connected_again_so_the_next_crash_is_a_crash() {
        OutageClassifier outages = new OutageClassifier();
        outages.onStopAnnounced(T0);
        outages.onDisconnected(T0, DisconnectCause.OTHER, true, false);
        outages.onConnected(T0.plusSeconds(20));
        outages.onDisconnected(T0.plusSeconds(40), DisconnectCause.OTHER, true, false);
        outages.onDisconnected(T0.plusSeconds(40), DisconnectCause.REFUSED, false, false);
        assertThat(outages.current()).contains(Kind.CRASHED);
    }

    @Test
    void an_announcement_without_a_disconnect_soon_after_does_not_make_a_later_crash_planned() {
        OutageClassifier outages = new OutageClassifier();
        outages.onStopAnnounced(T0); // e.g. homeassistant.restart refused by HA's config check
        Instant later = T0.plus(OutageClassifier.ANNOUNCEMENT_VALIDITY).plusSeconds(1);
        outages.onDisconnected(later, DisconnectCause.OTHER, true, false);
        outages.onDisconnected(later, DisconnectCause.REFUSED, false, false);
        assertThat(outages.current()).contains(Kind.CRASHED);
        assertThat(outages.stopAnnouncedAt()).isEmpty();
    }
}
