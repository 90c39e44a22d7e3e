package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import dev.hadiag.ha.client.testing.TestCertificates;
import dev.hadiag.ha.client.testing.TlsProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24: a real HA behind a TLS proxy whose certificate a private (test) CA signed, as the jar runs. Without
 * {@code HA_DIAG_HA_CA_FILE} the agent says TLS in the event, the log, {@code /health} and {@code check}; with it
 * (one setting) REST and the WebSocket work.
 */
@ExtendWith(HomeAssistantExtension.class)
class HaOverTlsJarIT {

    private final RealHomeAssistant ha;
    private final Path dir;
    private final Path events;
    private final TestCertificates certificates;
    private final TlsProxy proxy;
    private final Map<String, String> env;

    HaOverTlsJarIT(RealHomeAssistant ha, @TempDir Path dir) throws IOException, InterruptedException {
        this.ha = ha;
        this.dir = dir;
        this.events = dir.resolve("events");
        this.certificates = TestCertificates.create(dir.resolve("tls"));
        this.proxy = TlsProxy.start(certificates.serverContext(), ha.url());
        Path config = Files.writeString(dir.resolve("ha-diag-agent.yaml"), "websocket: { grace: 2s }\n" + AgentProcess.ON_DEMAND_CHECKS);
        this.env = AgentProcess.environment(ha, dir, "tls-node", config);
        env.put("HA_URL", proxy.url());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private static String lines(String text, String containing) {
        return String.join("\n", text.lines().filter(line -> line.contains(containing)).toList());
    }

    @Test
    void check_says_tls_and_what_to_set_without_the_ca_file_and_finds_ha_up_with_it() throws Exception {
        try (AgentProcess check = AgentProcess.start(dir.resolve("check-1"), List.of(), env, "check", "heartbeat")) {
            assertThat(check.waitFor()).as(check.stdout()).isEqualTo(2);
            assertThat(check.stdout()).startsWith("HA-DIAG CRITICAL").contains("TLS failed").contains("not trusted")
                    .contains("HA_DIAG_HA_CA_FILE");
            System.out.println("ha over tls: check without the CA file: " + lines(check.stdout(), "TLS"));
        }
        env.put("HA_DIAG_HA_CA_FILE", certificates.caPem().toString());
        try (AgentProcess check = AgentProcess.start(dir.resolve("check-2"), List.of(), env, "check", "heartbeat")) {
            assertThat(check.waitFor()).as(check.stdout() + check.stderr()).isZero();
            assertThat(check.stdout()).startsWith("HA-DIAG OK");
        }
    }

    @Test
    void the_agent_says_tls_in_the_event_the_log_and_health_and_connects_once_the_ca_file_is_set() throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir.resolve("run-1"), List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).isEmpty());
            Event dead = AgentProbe.written(events, EventTypes.HA_WEBSOCKET_DEAD).get(0);
            System.out.println("ha over tls: event without the CA file: " + dead.payload());
            assertThat(String.valueOf(dead.payload().get("reason"))).contains("TLS failed").contains("not trusted");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200
                    && AgentProbe.JSON.readTree(agent.get("/health").body()).path("checks").has("heartbeat"));
            JsonNode health = AgentProbe.JSON.readTree(agent.get("/health").body());
            assertThat(health.get("ws_connected").asBoolean()).isFalse();
            assertThat(health.get("ha_reachable").asBoolean()).isFalse();
            assertThat(health.at("/checks/heartbeat/reason").asText()).contains("TLS failed").contains("not trusted");
            assertThat(agent.stop()).isZero();
            assertThat(lines(agent.stderr(), "TLS failed")).as("a log line names TLS").contains("live connection").contains("not trusted");
            assertThat(agent.stderr()).doesNotContain(ha.token().value());
        }
        env.put("HA_DIAG_HA_CA_FILE", certificates.caPem().toString());
        try (AgentProcess agent = AgentProcess.start(dir.resolve("run-2"), List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> AgentProbe.JSON.readTree(agent.get("/health").body()).get("ws_connected").asBoolean());
            await().atMost(Duration.ofSeconds(30)).until(() -> !AgentProbe.written(events, EventTypes.HA_WEBSOCKET_RECOVERED).isEmpty());
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> AgentProbe.JSON.readTree(agent.get("/health").body()).get("ha_reachable").asBoolean());
            assertThat(agent.stop()).isZero();
        }
    }
}
