package dev.hadiag.app.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.app.testing.RealHaAgent;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * #16 against a real Home Assistant, with the agent's own wiring and every default (grace 10 s, restart
 * grace 5 min): the live connection, the watchdog ticking as the agent ticks it, a real SQLite file and real
 * event files. A restart asked through HA's API pages no one and is one {@code ha_restarted}; a kill -9 is
 * {@code ha_websocket_dead} at once.
 */
@ExtendWith(HomeAssistantExtension.class)
class PlannedRestartIT {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final RealHomeAssistant ha;
    private final RealHaAgent agent;
    private final Diagnostics diagnostics;
    private final List<LiveSignal> signals = new CopyOnWriteArrayList<>();

    PlannedRestartIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.agent = RealHaAgent.on(ha, dir).build();
        assertThat(agent.config().websocket().grace()).isEqualTo(GRACE);
        this.diagnostics = agent.diagnostics();
    }

    @BeforeEach
    void connect() {
        Assumptions.assumeTrue(ha.canRestart(), "this Home Assistant cannot be restarted by the test");
        agent.connect(signals::add);
    }

    @AfterEach
    void close() {
        agent.close();
    }

    private List<Event> written() {
        return agent.written();
    }

    private Event written(String type) {
        return written().stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
    }

    private Instant lastDisconnect() {
        return signals.stream().filter(LiveSignal.Disconnected.class::isInstance).map(LiveSignal::at).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void homeassistant_restart_through_the_api_opens_no_dead_alert_and_writes_one_planned_ha_restarted() {
        ha.callService("homeassistant", "restart", "{}");
        ha.awaitHomeAssistantExited(Duration.ofMinutes(2));
        // Longer than the grace: without the announcement this outage would have paged.
        Instant deadlineOfTheGrace = lastDisconnect().plus(GRACE).plusSeconds(1);
        await().atMost(GRACE.plusSeconds(5)).until(() -> Instant.now().isAfter(deadlineOfTheGrace));
        assertThat(written()).isEmpty();
        ha.startHomeAssistant(); // HA exits on restart; its supervisor (here the test) starts it again

        await().atMost(Duration.ofSeconds(30)).until(() -> !written().isEmpty());
        assertThat(written()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_RESTARTED);
            assertThat(e.payload()).containsEntry("planned", true);
            assertThat((Double) e.payload().get("downtime_s")).isGreaterThan((double) GRACE.toSeconds());
        });
        assertThat(signals).as("the restart's call_service event announces it on both versions")
                .anyMatch(s -> s instanceof LiveSignal.StopAnnounced stop && stop.haEvent().equals("call_service homeassistant.restart"));
        if (!ha.isLegacy()) {
            assertThat(signals).as("2026.11 closes the socket with a normal close frame instead")
                    .anyMatch(s -> s instanceof LiveSignal.Disconnected d && d.cause() == LiveSignal.DisconnectCause.CLOSED_BY_HA);
        }
        assertThat(diagnostics.run(BuiltInCheck.HEARTBEAT.wire()).status()).isNotEqualTo(CheckStatus.SKIPPED);
        assertThat(written()).hasSize(1);
    }

    @Test
    void kill_9_writes_ha_websocket_dead_at_once_and_ha_back_resolves_it_and_writes_an_unplanned_ha_restarted() {
        ha.killHomeAssistant();
        try {
            await().atMost(GRACE.plusSeconds(20)).until(() -> !written().isEmpty());
            assertThat(written()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD);
                assertThat((String) e.payload().get("reason")).contains("refused");
                Instant since = Instant.parse((String) e.payload().get("since"));
                assertThat(Duration.between(since, e.timestamp())).as("dead without waiting the grace").isLessThan(GRACE);
            });
        } finally {
            ha.startHomeAssistant();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> written().size() == 3);
        // The recovery and the restart share their timestamp, so the files list in name order after the dead one.
        assertThat(written()).extracting(Event::type)
                .containsExactlyInAnyOrder(EventTypes.HA_WEBSOCKET_DEAD, EventTypes.HA_WEBSOCKET_RECOVERED, EventTypes.HA_RESTARTED);
        Event dead = written().get(0);
        assertThat(dead.type()).isEqualTo(EventTypes.HA_WEBSOCKET_DEAD);
        assertThat(written(EventTypes.HA_WEBSOCKET_RECOVERED).correlationId()).isEqualTo(dead.correlationId());
        assertThat(written(EventTypes.HA_RESTARTED).payload()).containsEntry("planned", false);
    }
}
