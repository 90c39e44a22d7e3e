package dev.hadiag.app.agent;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.check.HaSeen;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.diagnostics.UnknownCheckException;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import dev.hadiag.http.AgentView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's view over a real Diagnostics with a fake HA: when checks may run, and what the heartbeat tells of HA. */
class AgentStatusTest {

    private final FakeHomeAssistant ha = new FakeHomeAssistant();
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final MutableClock clock = new MutableClock(T0);
    private final Diagnostics diagnostics = Diagnostics.builder(ha, store, new RecordingEventSink()).checks(new HeartbeatCheck())
            .events(new AlertEvents("node1", "lab", "http://ha:8123")).clock(clock).build();
    private final List<String> wrapped = new ArrayList<>();
    private final AgentStatus status = AgentStatus.builder(diagnostics, store, clock)
            .wrapEachRun((check, run) -> {
                wrapped.add(check);
                return run.get();
            })
            .build();

    @Test
    void a_silence_expired_now_ends_at_the_agents_clock_not_the_wall_clock() {
        Silence added = status.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("entity=sensor.garage_*")), Duration.ofHours(2),
                clock.instant(), "batteries", "ken"));
        clock.advance(Duration.ofMinutes(30));

        Silence expired = status.expireSilence(added.id()).orElseThrow();

        assertThat(expired.endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(expired.expiredEarly()).isTrue();
    }

    @Test
    void a_trigger_is_refused_before_ready_and_after_stopping_while_scheduled_runs_go_through_the_wrapper() {
        assertThatThrownBy(() -> status.trigger("heartbeat")).isInstanceOf(AgentView.NotReadyException.class);

        status.ready();
        assertThat(status.trigger("heartbeat").status()).isEqualTo(CheckStatus.OK);
        status.stopping();

        assertThatThrownBy(() -> status.trigger("heartbeat")).isInstanceOf(AgentView.NotReadyException.class);
        assertThat(wrapped).containsExactly("heartbeat");
        assertThat(status.run("heartbeat").status()).isEqualTo(CheckStatus.OK);
        assertThat(wrapped).containsExactly("heartbeat", "heartbeat");
    }

    @Test
    void an_unknown_check_is_the_cores_error_naming_the_checks() {
        status.ready();

        assertThatThrownBy(() -> status.trigger("nope")).isInstanceOf(UnknownCheckException.class);
    }

    @Test
    void ha_state_since_is_when_the_heartbeat_first_saw_the_state_it_still_sees() {
        assertThat(status.haStateSince()).isEmpty();
        assertThat(status.haReachable()).isEmpty();

        status.run("heartbeat");
        clock.advance(Duration.ofSeconds(1)); // within the watchdog's grace: HA is still "up"
        status.run("heartbeat");

        assertThat(status.haStateSince()).contains(T0);
        assertThat(status.haReachable()).contains(true);
    }

    @Test
    void ha_state_follows_the_core_state_the_heartbeat_carries_starting_then_running_then_unreachable() {
        ha.coreState(CoreState.NOT_RUNNING);
        status.run("heartbeat");
        clock.advance(Duration.ofSeconds(1));
        ha.coreState(CoreState.STARTING); // still starting: the same state, since unchanged
        status.run("heartbeat");
        assertThat(status.haStateSince()).contains(T0);

        clock.advance(Duration.ofSeconds(1));
        ha.coreState(CoreState.RUNNING);
        status.run("heartbeat");
        assertThat(status.haStateSince()).contains(T0.plusSeconds(2));
        assertThat(status.haReachable()).contains(true);

        clock.advance(Duration.ofSeconds(1));
        ha.fail(new HaUnreachableException("connection refused", null));
        status.run("heartbeat");
        assertThat(status.haStateSince()).contains(T0.plusSeconds(3));
        assertThat(status.haReachable()).contains(false);
    }

    @Test
    void the_heartbeat_report_carries_what_it_saw_of_ha_and_other_checks_say_they_did_not_look() {
        ha.coreState(CoreState.STARTING);
        assertThat(status.run("heartbeat").haSeen()).isEqualTo(new HaSeen.Answering("2024.3.3", CoreState.STARTING));

        ha.fail(new HaUnauthorizedException("401", null));
        assertThat(status.run("heartbeat").haSeen()).isEqualTo(new HaSeen.TokenRejected());
        assertThat(status.haReachable()).as("a rejected token is HA answering").contains(true);
    }

    @Test
    void the_defaults_list_the_checks_diagnostics_runs_and_report_no_problems_or_events() {
        assertThat(status.checks()).extracting(AgentView.CheckInfo::name).containsExactly("heartbeat");
        assertThat(status.node()).isEqualTo("node1");
        assertThat(status.problems()).isEmpty();
        assertThat(status.recentEvents(T0, 10)).isEmpty();
    }
}
