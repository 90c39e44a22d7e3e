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
    void a_state_change_on_the_stream_is_no_verdict_of_the_watchdog() {
        watchdog.onSignal(new LiveSignal.Connected(at(0), "2026.11.0"));
        assertThat(watchdog.onSignal(new LiveSignal.StateChanged(at(1), "switch.plug", "on", "unavailable", at(1)))).isEmpty();
        assertThat(watchdog.isConnected()).isTrue();
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
    void never_connecting_is_dead_with_the_reason_the_attempts_fail_not_only_not_connected_yet() {
        // Issue 24: HA behind TLS with a certificate the agent does not trust said only "not connected yet".
        watchdog.onSignal(new LiveSignal.Disconnected(at(1), "WebSocket https://ha:8123/api/websocket: TLS failed: not trusted"));
        assertThat(watchdog.tick(at(10))).singleElement().isInstanceOfSatisfying(Verdict.Dead.class,
                d -> assertThat(d.reason()).isEqualTo("not connected yet: WebSocket https://ha:8123/api/websocket: TLS failed: not trusted"));
    }

    @Test
    void dead_before_any_attempt_has_failed_says_that_no_attempt_has_had_an_answer() {
        // Issue 26: a host that does not answer keeps the first attempt waiting past the grace; "not connected yet" said nothing more.
        assertThat(watchdog.tick(at(10))).singleElement().isInstanceOfSatisfying(Verdict.Dead.class,
                d -> assertThat(d.reason()).isEqualTo("not connected yet: no answer to the first connection attempt in 10 s "
                        + "(Home Assistant's host or the network does not answer)"));
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

    // #16: planned restarts, crashes and network outages

    private final WebSocketWatchdog defaults = new WebSocketWatchdog(WebSocketWatchdog.Settings.DEFAULTS, T0, false, false);

    private static LiveSignal.Disconnected lost(int seconds, LiveSignal.DisconnectCause cause) {
        return new LiveSignal.Disconnected(at(seconds), "closed", cause);
    }

    @Test
    void a_crash_is_dead_on_the_first_refused_attempt_not_after_the_grace() {
        defaults.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        assertThat(defaults.onSignal(lost(10, LiveSignal.DisconnectCause.OTHER))).isEmpty();
        assertThat(defaults.onSignal(lost(10, LiveSignal.DisconnectCause.REFUSED))).singleElement()
                .isInstanceOfSatisfying(Verdict.Dead.class, dead -> {
                    assertThat(dead.at()).isEqualTo(at(10));
                    assertThat(dead.reason()).contains("refused").contains("no stop was announced");
                });
    }

    @Test
    void an_announced_restart_waits_the_restart_grace_and_ends_in_one_planned_restart() {
        defaults.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        defaults.onSignal(new LiveSignal.StopAnnounced(at(10), "homeassistant_stop"));
        assertThat(defaults.onSignal(lost(10, LiveSignal.DisconnectCause.OTHER))).isEmpty();
        assertThat(defaults.onSignal(lost(10, LiveSignal.DisconnectCause.REFUSED))).isEmpty();
        assertThat(defaults.isRestartingAsPlanned()).isTrue();
        assertThat(defaults.nextDeadline()).contains(at(310));
        assertThat(defaults.tick(at(309))).isEmpty();
        assertThat(defaults.onSignal(new LiveSignal.Connected(at(70), "2024.3.3"))).singleElement()
                .isInstanceOfSatisfying(Verdict.Restarted.class, restarted -> {
                    assertThat(restarted.planned()).isTrue();
                    assertThat(restarted.downtime()).isEqualTo(Duration.ofSeconds(60));
                });
        assertThat(defaults.isRestartingAsPlanned()).isFalse();
    }

    @Test
    void a_normal_close_frame_is_an_announced_stop_as_2026_11_sends_it() {
        defaults.onSignal(new LiveSignal.Connected(at(0), "2026.11.0"));
        defaults.onSignal(lost(10, LiveSignal.DisconnectCause.CLOSED_BY_HA));
        assertThat(defaults.onSignal(lost(10, LiveSignal.DisconnectCause.REFUSED))).isEmpty();
        assertThat(defaults.isRestartingAsPlanned()).isTrue();
    }

    @Test
    void a_planned_restart_longer_than_the_restart_grace_is_dead_and_says_so() {
        defaults.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        defaults.onSignal(new LiveSignal.StopAnnounced(at(10), "homeassistant_stop"));
        defaults.onSignal(lost(10, LiveSignal.DisconnectCause.OTHER));
        assertThat(defaults.tick(at(310))).singleElement().isInstanceOfSatisfying(Verdict.Dead.class,
                dead -> assertThat(dead.reason()).contains("announced its stop").contains("not back within 300 s"));
        assertThat(defaults.onSignal(new LiveSignal.Connected(at(400), "2024.3.3")))
                .satisfiesExactly(first -> assertThat(first).isInstanceOf(Verdict.Recovered.class),
                        second -> assertThat(second).isInstanceOf(Verdict.Restarted.class));
    }

    @Test
    void a_timeout_outage_still_waits_the_grace_and_reports_no_restart() {
        defaults.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        defaults.onSignal(lost(10, LiveSignal.DisconnectCause.OTHER));
        assertThat(defaults.onSignal(lost(11, LiveSignal.DisconnectCause.UNREACHABLE))).isEmpty();
        assertThat(defaults.isRestartingAsPlanned()).isFalse();
        assertThat(defaults.tick(at(19))).isEmpty();
        assertThat(defaults.tick(at(20))).singleElement().isInstanceOf(Verdict.Dead.class);
        assertThat(defaults.onSignal(new LiveSignal.Connected(at(30), "2024.3.3")))
                .singleElement().isInstanceOf(Verdict.Recovered.class);
    }

    @Test
    void a_refused_port_at_the_agents_own_start_waits_the_grace_as_ha_may_be_booting_beside_it() {
        assertThat(defaults.onSignal(lost(1, LiveSignal.DisconnectCause.REFUSED))).isEmpty();
        assertThat(defaults.tick(at(9))).isEmpty();
        assertThat(defaults.tick(at(10))).singleElement().isInstanceOf(Verdict.Dead.class);
    }

    @Test
    void during_maintenance_a_crash_waits_the_restart_grace() {
        WebSocketWatchdog maintained = new WebSocketWatchdog(WebSocketWatchdog.Settings.DEFAULTS, T0, false, false, () -> true);
        maintained.onSignal(new LiveSignal.Connected(at(0), "2024.3.3"));
        maintained.onSignal(lost(10, LiveSignal.DisconnectCause.OTHER));
        assertThat(maintained.onSignal(lost(10, LiveSignal.DisconnectCause.REFUSED))).isEmpty();
        assertThat(maintained.nextDeadline()).contains(at(310));
    }
}
