package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.bench.SyntheticHomeAssistant;
import dev.hadiag.core.event.EventTypes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token revoked while the agent runs its checks every second: the WebSocket sees {@code auth_invalid},
 * the REST calls would see 401. Counts the failed logins HA gets (REST 401s and WebSocket
 * {@code auth_invalid}s, as HA counts them): bounded by the calls already in flight, then none until the
 * auth retry (10 min).
 */
class RevokedTokenFaultIT {

    /** The live connection plus the three enabled checks, each at most once: what can be in flight at the revocation. */
    static final int MAX_FAILED_LOGINS = 4;
    static final Duration WATCHED = Duration.ofSeconds(15);
    static final String CONFIG = """
            location_tag: fault-lab
            checks:
              heartbeat: { interval: 1s }
              unavailable_entities: { interval: 1s, threshold: 1h }
              updates_available: { interval: 1s }
              system_health: { enabled: false }
              automation_failures: { enabled: false }
              recorder: { enabled: false }
              repairs: { enabled: false }
            """;

    @TempDir
    Path dir;
    SyntheticHomeAssistant ha;
    AgentProcess agent;

    @BeforeEach
    void start() throws IOException {
        ha = SyntheticHomeAssistant.scatteredStorm(10);
        agent = new AgentProcess(dir, ha.url(), SyntheticHomeAssistant.TOKEN.value(), CONFIG, Map.of());
    }

    @AfterEach
    void stop() {
        agent.close();
        ha.close();
    }

    @Test
    void a_revoked_token_costs_a_bounded_number_of_failed_logins_then_none_until_the_retry() throws Exception {
        agent.start();
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> health().contains("\"ws_connected\":true"));
        int statesBefore = ha.statesRequests();
        await().atMost(Duration.ofSeconds(30)).until(() -> ha.statesRequests() >= statesBefore + 2); // the checks are running

        ha.revokeToken();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.written(EventTypes.HA_AUTH_FAILED).size() == 1);
        int atAlert = ha.rejectedLogins();
        // Fifteen more one-second intervals: not one more failed login, and still one alert.
        try {
            await().during(WATCHED).atMost(WATCHED.plusSeconds(10)).until(() -> ha.rejectedLogins() == atAlert);
        } finally {
            System.out.printf("revoked token: %d failed logins in the %d s after revocation (checks every 1 s), %d of them before the"
                    + " alert; %d ha_auth_failed events%n", ha.rejectedLogins(), WATCHED.toSeconds() + 1, atAlert,
                    agent.written(EventTypes.HA_AUTH_FAILED).size());
        }

        assertThat(ha.rejectedLogins()).isBetween(1, MAX_FAILED_LOGINS);
        assertThat(agent.written(EventTypes.HA_AUTH_FAILED)).hasSize(1);
        assertThat(health()).contains("rejected the token");
        assertThat(agent.logs()).doesNotContain(SyntheticHomeAssistant.TOKEN.value());
    }

    private String health() throws Exception {
        HttpResponse<String> response = agent.get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(SyntheticHomeAssistant.TOKEN.value());
        return response.body();
    }

}
