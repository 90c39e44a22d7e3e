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
    }
}
