package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveConnectionSettingsTest {

    final LiveConnectionSettings timing = new LiveConnectionSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

    @Test
    void backoff_doubles_per_attempt_up_to_the_cap() {
        assertThat(timing.backoff(1, 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(timing.backoff(2, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(timing.backoff(6, 1.0)).isEqualTo(Duration.ofSeconds(32));
        assertThat(timing.backoff(7, 1.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(timing.backoff(10_000, 1.0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void an_outage_past_the_quick_phase_backs_off_from_the_quick_cap_to_the_max_instead_of_dialling_every_second_forever() {
        LiveConnectionSettings agent = new LiveConnectionSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(250),
                Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertThat(agent.backoff(1, 0, 1.0)).isEqualTo(Duration.ofMillis(250));
        assertThat(agent.backoff(3, 0, 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(agent.backoff(300, 0, 1.0)).as("a restart of HA is seen within a second").isEqualTo(Duration.ofSeconds(1));
        assertThat(agent.backoff(301, 1, 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(agent.backoff(305, 5, 1.0)).isEqualTo(Duration.ofSeconds(32));
        assertThat(agent.backoff(306, 6, 1.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(agent.backoff(100_000, 99_700, 1.0)).isEqualTo(Duration.ofSeconds(60));
        assertThat(agent.backoff(306, 6, 0.0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void the_five_timings_mean_no_quick_phase() {
        assertThat(timing.quickFor()).isZero();
        assertThat(timing.quickBackoff()).isEqualTo(timing.maxBackoff());
    }

    @Test
    void jitter_spreads_delays_between_half_and_all_of_the_backoff() {
        assertThat(timing.backoff(7, 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(timing.backoff(7, 0.5)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void nonsense_timings_are_rejected() {
        assertThatThrownBy(() -> new LiveConnectionSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LiveConnectionSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("below the initial backoff");
        assertThatThrownBy(() -> new LiveConnectionSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofMinutes(5)))
                .hasMessageContaining("quick backoff");
    }
}
