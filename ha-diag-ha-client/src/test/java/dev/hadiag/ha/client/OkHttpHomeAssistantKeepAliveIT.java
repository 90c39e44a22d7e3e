package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.ha.CoreState;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 24: a heartbeat less often than every 75 s found a healthy HA dead. HA's aiohttp closes a keep-alive
 * connection idle for 75 s; the next request on that pooled connection read "unexpected end of stream". Its own
 * class, outside the per-version suites of the pom: the wait is paid once per build.
 */
@ExtendWith(HomeAssistantExtension.class)
class OkHttpHomeAssistantKeepAliveIT {

    /** aiohttp's {@code keepalive_timeout}, which HA does not change. */
    static final Duration HA_KEEP_ALIVE = Duration.ofSeconds(75);

    private final RealHomeAssistant ha;

    OkHttpHomeAssistantKeepAliveIT(RealHomeAssistant ha) {
        this.ha = ha;
    }

    @Test
    void the_heartbeats_requests_after_idling_past_has_keep_alive_find_it_up() throws InterruptedException {
        try (OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()))) {
            client.ping();
            client.config(); // leaves a connection in the pool
            Thread.sleep(HA_KEEP_ALIVE.plusSeconds(5).toMillis()); // the passage of time is the point: HA drops the idle connection
            client.ping();
            assertThat(client.config().state()).isEqualTo(CoreState.RUNNING);
        }
    }
}
