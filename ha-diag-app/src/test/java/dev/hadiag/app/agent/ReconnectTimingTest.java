package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.ha.client.LiveConnectionSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live connection's reconnect timing as the agent builds it from the websocket.* keys. */
class ReconnectTimingTest {

    private static LiveConnectionSettings timing(Map<String, String> env) {
        AgentConfig config = ConfigLoader.load(env, null, () -> "h");
        return Agent.reconnectTiming(config.websocket(), LiveConnectionSettings.DEFAULTS);
    }

    @Test
    void by_default_a_quarter_second_doubling_to_one_second_for_five_minutes_then_up_to_a_minute() {
        LiveConnectionSettings timing = timing(Map.of("HA_URL", "http://ha:8123", "HA_TOKEN", "t", "HA_DIAG_CONFIG", ""));
        assertThat(timing.initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(timing.quickBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timing.quickFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(timing.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(timing.authRetry()).isEqualTo(LiveConnectionSettings.DEFAULTS.authRetry());
    }
}
