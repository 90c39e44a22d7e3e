package dev.hadiag.core.live;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.WebSocketWatchdog.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketWatchdogTest {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration SILENCE = Duration.ofMinutes(5);

    private final WebSocketWatchdog watchdog = new WebSocketWatchdog(new WebSocketWatchdog.Settings(SILENCE, GRACE), T0, false, false);

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void a_disconnect_shorter_than_the_grace_emits_nothing() {
        watchdog.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        assertThat(watchdog.onSignal(new LiveSignal.Disconnected(at(10), "closed"))).isEmpty();
        assertThat(watchdog.tick(at(19))).isEmpty();
        assertThat(watchdog.onSignal(new LiveSignal.Connected(at(19), "2024.3.3"))).isEmpty();
        assertThat(watchdog.tick(at(60))).isEmpty();
        assertThat(watchdog.isConnected()).isTrue();
    }

    @Test
    void a_disconnect_past_the_grace_is_dead_once_and_the_first_frame_after_is_recovered() {
        watchdog.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        watchdog.onSignal(new LiveSignal.Disconnected(at(10), "closed"));
        List<Verdict> dead = watchdog.tick(at(20));
        assertThat(dead).singleElement().isInstanceOfSatisfying(Verdict.Dead.class, d -> {
            assertThat(d.since()).isEqualTo(at(10));
            assertThat(d.reason()).contains("closed");
        });
        assertThat(watchdog.tick(at(30))).isEmpty();
        assertThat(watchdog.onSignal(new LiveSignal.Disconnected(at(31), "refused"))).isEmpty();
        assertThat(watchdog.onSignal(new LiveSignal.Connected(at(40), "2024.3.3")))
                .singleElement().isInstanceOf(Verdict.Recovered.class);
        assertThat(watchdog.onSignal(new LiveSignal.Frame(at(41)))).isEmpty();
    }

    @Test
    void silence_past_the_timeout_plus_the_grace_is_dead() {
        watchdog.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        watchdog.onSignal(new LiveSignal.Frame(at(5)));
        assertThat(watchdog.tick(at(5).plus(SILENCE))).isEmpty();
        assertThat(watchdog.tick(at(5).plus(SILENCE).plus(GRACE).minusSeconds(1))).isEmpty();
        assertThat(watchdog.tick(at(5).plus(SILENCE).plus(GRACE)))
                .singleElement().isInstanceOfSatisfying(Verdict.Dead.class, d -> assertThat(d.reason()).contains("no frame"));
    }

    @Test
    void never_connecting_after_start_is_dead_after_the_grace() {
        assertThat(watchdog.nextDeadline()).contains(T0.plus(GRACE));
        assertThat(watchdog.tick(at(10))).singleElement().isInstanceOf(Verdict.Dead.class);
    }

    @Test
    void a_rejected_token_is_its_own_verdict_never_a_dead_one_and_is_recovered_on_authentication() {
        assertThat(watchdog.onSignal(new LiveSignal.AuthRejected(at(1), "invalid access token")))
                .singleElement().isInstanceOf(Verdict.AuthFailed.class);
        assertThat(watchdog.onSignal(new LiveSignal.AuthRejected(at(600), "invalid access token"))).isEmpty();
        assertThat(watchdog.tick(at(3600))).isEmpty();
        assertThat(watchdog.onSignal(new LiveSignal.Connected(at(3601), "2024.3.3")))
                .singleElement().isInstanceOf(Verdict.AuthRecovered.class);
    }

    @Test
    void an_alert_left_open_by_a_previous_agent_is_resolved_by_the_first_frame_and_not_raised_again() {
        WebSocketWatchdog restarted = new WebSocketWatchdog(new WebSocketWatchdog.Settings(SILENCE, GRACE), T0, true, false);
        assertThat(restarted.tick(at(60))).isEmpty();
        assertThat(restarted.onSignal(new LiveSignal.Connected(at(61), "2024.3.3")))
                .singleElement().isInstanceOf(Verdict.Recovered.class);
    }

    @Test
    void HAs_up_time_is_known_only_while_the_connection_has_been_up_without_a_break() {
        assertThat(watchdog.upSince()).isEmpty();
        watchdog.onSignal(new LiveSignal.Connected(at(3), "2024.3.3"));
        watchdog.onSignal(new LiveSignal.Frame(at(4)));
        assertThat(watchdog.upSince()).contains(at(3));
        watchdog.onSignal(new LiveSignal.Disconnected(at(5), "closed"));
        assertThat(watchdog.upSince()).isEmpty();
    }
}
