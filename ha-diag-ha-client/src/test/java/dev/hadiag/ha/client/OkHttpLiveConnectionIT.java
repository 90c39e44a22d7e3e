package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The live connection against a real HA that the test stops and starts. */
@ExtendWith(HomeAssistantExtension.class)
class OkHttpLiveConnectionIT {

    static final LiveConnectionSettings FAST = new LiveConnectionSettings(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(10));

    private final RealHomeAssistant ha;
    private final List<LiveSignal> signals = new CopyOnWriteArrayList<>();

    OkHttpLiveConnectionIT(RealHomeAssistant ha) {
        this.ha = ha;
    }

    private long count(Class<? extends LiveSignal> kind) {
        return signals.stream().filter(kind::isInstance).count();
    }

    private int lastIndexOf(Class<? extends LiveSignal> kind) {
        for (int i = signals.size() - 1; i >= 0; i--) {
            if (kind.isInstance(signals.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private boolean frameAfterLast(Class<? extends LiveSignal> kind) {
        int after = lastIndexOf(kind);
        return after >= 0 && signals.subList(after, signals.size()).stream().anyMatch(LiveSignal.Frame.class::isInstance);
    }

    @Test
    void connects_sees_state_changes_survives_a_restart_and_resubscribes() {
        assumeTrue(ha.canRestart(), "this Home Assistant cannot be restarted by the test");
        try (OkHttpLiveConnection live = new OkHttpLiveConnection(new HaClientSettings(ha.url(), ha.token()), FAST, Clock.systemUTC())) {
            live.start(signals::add);
            await().atMost(Duration.ofSeconds(15)).until(() -> count(LiveSignal.Connected.class) == 1);
            assertThat(signals).first().isInstanceOfSatisfying(LiveSignal.Connected.class,
                    c -> assertThat(c.haVersion()).isEqualTo(ha.version()));

            ha.setInputBoolean("input_boolean.kitchen_plug_online", false);
            ha.setInputBoolean("input_boolean.kitchen_plug_online", true);
            await().atMost(Duration.ofSeconds(10)).until(() -> frameAfterLast(LiveSignal.Connected.class));

            ha.stopHomeAssistant();
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> count(LiveSignal.Disconnected.class) >= 1);
                assertThat(live.isConnected()).isFalse();
            } finally {
                ha.startHomeAssistant();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count(LiveSignal.Connected.class) == 2);
            assertThat(live.isConnected()).isTrue();

            int reconnectedAt = lastIndexOf(LiveSignal.Connected.class);
            ha.setInputBoolean("input_boolean.kitchen_plug_online", false);
            ha.setInputBoolean("input_boolean.kitchen_plug_online", true);
            await().atMost(Duration.ofSeconds(10)).until(() -> signals.size() > reconnectedAt + 1 && frameAfterLast(LiveSignal.Connected.class));
        }
    }

    @Test
    void quiet_connection_is_kept_alive_by_pings() {
        try (OkHttpLiveConnection live = new OkHttpLiveConnection(new HaClientSettings(ha.url(), ha.token()), FAST, Clock.systemUTC())) {
            live.start(signals::add);
            await().atMost(Duration.ofSeconds(15)).until(() -> count(LiveSignal.Connected.class) == 1);
            // With nothing changing in HA, only pongs can produce frames: several of them, and no disconnect.
            await().atMost(Duration.ofSeconds(10)).until(() -> count(LiveSignal.Frame.class) >= 3);
            assertThat(count(LiveSignal.Disconnected.class)).isZero();
        }
    }

    @Test
    void a_rejected_token_is_reported_once_and_not_retried_in_a_loop() {
        AccessToken bogus = new AccessToken("rejected-token-for-the-test");
        try (OkHttpLiveConnection live = new OkHttpLiveConnection(new HaClientSettings(ha.url(), bogus), FAST, Clock.systemUTC())) {
            live.start(signals::add);
            await().atMost(Duration.ofSeconds(15)).until(() -> count(LiveSignal.AuthRejected.class) == 1);
            // The retry comes only after authRetry (10 min): over the next 3 s nothing else may happen.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> signals.size() == 1);
            assertThat(((LiveSignal.AuthRejected) signals.get(0)).message()).doesNotContain(bogus.value());
        }
    }
}
