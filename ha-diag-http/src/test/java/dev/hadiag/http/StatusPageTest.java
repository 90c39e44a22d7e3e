package dev.hadiag.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.check.HaSeen;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.http.AgentView.CheckInfo;
import dev.hadiag.http.testing.StubAgentView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the status page says, rendered from a fixed agent state. The browser test (StatusPageBrowserIT) shows it to Chromium. */
class StatusPageTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private final List<OpenAlert> alerts = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private Optional<Boolean> reachable = Optional.of(true);
    private List<AgentView.Problem> problems = List.of();
    private String heartbeatNote = "Home Assistant 2026.11.0 answers, core state RUNNING";
    private HaSeen heartbeatSeen = new HaSeen.Answering("2026.11.0", CoreState.RUNNING);

    private final AgentView agent = new StubAgentView().version("1.2.3").node("piha")
            .checks(List.of(new CheckInfo("heartbeat", true, Duration.ofSeconds(60)), new CheckInfo("unavailable_entities", true,
                    Duration.ofSeconds(60)), new CheckInfo("recorder", false, Duration.ofSeconds(60))))
            .reports(() -> Map.of("heartbeat", new CheckReport("heartbeat", CheckStatus.OK, "", heartbeatNote, List.of(),
                    NOW.minusSeconds(20), Duration.ofMillis(12), 0, Map.of(), heartbeatSeen), "unavailable_entities", new CheckReport("unavailable_entities",
                    CheckStatus.WARNING, "", "", findings, NOW.minusSeconds(30), Duration.ofMillis(80), 1)))
            .alerts(() -> alerts)
            .haReachable(() -> reachable)
            .haStateSince(NOW.minusSeconds(7200))
            .problems(() -> problems)
            .events(() -> events);

    private String render() {
        return new StatusPage(agent).render(NOW);
    }

    @Test
    void a_healthy_home_assistant_is_up_with_its_version_and_nothing_open() {
        String html = render();
        assertThat(html).contains("data-ha-state=\"up\"", "answering since 2 h 0 min ago", "<dd>2026.11.0</dd>", "Nothing is wrong that the agent can see",
                "data-check=\"heartbeat\"", "in 40 s").doesNotContain("data-check=\"recorder\"");
    }

    @Test
    void the_live_flapping_check_says_live_not_when_it_runs_next() {
        AgentView live = new StubAgentView().checks(List.of(new CheckInfo("flapping", true, Duration.ofSeconds(60), true)))
                .reports(() -> Map.of("flapping", new CheckReport("flapping", CheckStatus.OK, "", "0 entities flapping", List.of(),
                        NOW.minusSeconds(4), Duration.ofMillis(1), 0)));
        String html = new StatusPage(live).render(NOW);
        assertThat(html).contains("title=\"watches the live stream; alerts are decided every 1 min\">live</td>").doesNotContain("in 56 s");
    }

    @Test
    void open_alerts_are_grouped_highest_cause_first_with_their_age_text_and_correlation_id() {
        Finding device = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.DEVICE, "d1", "Kitchen plug"),
                "Device Kitchen plug is offline: all 2 entities unavailable", List.of("sensor.kitchen_plug_power", "sensor.kitchen_plug_energy"),
                NOW.minusSeconds(900), Map.of());
        findings.add(device);
        alerts.add(new OpenAlert(device.alertKey(), "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "corr-device",
                NOW.minusSeconds(600), NOW.minusSeconds(600), device.entities()));
        alerts.add(new OpenAlert("ha_integration_failed:integration:e1", "system_health", AlertType.INTEGRATION_FAILED, "corr-int",
                NOW.minusSeconds(120), NOW.minusSeconds(120), List.of()));
        String html = render();
        assertThat(html.indexOf("<h3>Integrations</h3>")).isPositive().isLessThan(html.indexOf("<h3>Devices</h3>"));
        assertThat(html).contains("<strong>Kitchen plug</strong> <span class=\"age\">10 min ago</span>",
                "Device Kitchen plug is offline: all 2 entities unavailable", "corr-device", "2 entities", "sensor.kitchen_plug_energy",
                "sev-error", "<span class=\"count\">2</span>");
    }

    @Test
    void an_open_alert_says_what_its_event_says_and_what_the_latest_check_found_as_now() {
        String watchdog = "Home Assistant's WebSocket is dead: not connected yet: WebSocket http://ha:8123/api/websocket: "
                + "java.net.ConnectException: Failed to connect to /127.0.0.1:8123";
        String heartbeat = "Home Assistant is unreachable: http://ha:8123 unreachable: GET /api/: ConnectException (Failed to connect)";
        reachable = Optional.of(false);
        Finding dead = new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT, heartbeat, List.of(), NOW.minusSeconds(60),
                Map.of());
        findings.add(dead);
        alerts.add(new OpenAlert(dead.alertKey(), "websocket", AlertType.WEBSOCKET_DEAD, "corr-dead", NOW.minusSeconds(50), NOW.minusSeconds(50),
                List.of()));
        events.add(Event.of(NOW.minusSeconds(50), "piha", "ha_websocket_dead", Severity.ERROR, "ha-diag-agent", "homeassistant", "corr-dead",
                Map.of("summary", watchdog)));
        String html = render();
        String alertsCard = html.substring(html.indexOf("id=\"alerts\""), html.indexOf("id=\"checks\""));
        String timelineCard = html.substring(html.indexOf("id=\"timeline\""));
        assertThat(alertsCard).contains("<div class=\"text\">" + StatusPage.escape(watchdog) + "</div>",
                "<div class=\"text now\">Now: " + StatusPage.escape(heartbeat) + "</div>");
        assertThat(timelineCard).contains("<div class=\"text\">" + StatusPage.escape(watchdog) + "</div>");
    }

    @Test
    void an_opening_and_its_resolution_are_one_incident_bar_in_the_timeline() {
        events.add(Event.of(NOW.minusSeconds(7200), "piha", "ha_entity_unavailable_long", Severity.WARNING, "ha-diag-agent", "homeassistant",
                "corr-1", Map.of("summary", "Hallway sensor unavailable")));
        events.add(Event.of(NOW.minusSeconds(3600), "piha", "ha_entity_recovered", Severity.INFO, "ha-diag-agent", "homeassistant",
                "corr-1", Map.of()));
        events.add(Event.of(NOW.minusSeconds(60), "otherhost", "ha_websocket_dead", Severity.ERROR, "ha-diag-agent", "homeassistant",
                "corr-2", Map.of()));
        String html = render();
        assertThat(html).containsOnlyOnce("data-correlation-id=\"corr-1\"").contains("data-state=\"resolved\"", "Nov 24 10:00 → Nov 24 11:00",
                "data-correlation-id=\"corr-2\" data-state=\"open\"", "→ ongoing", "otherhost");
    }

    @Test
    void a_rejected_token_and_a_dead_home_assistant_say_so_first() {
        alerts.add(new OpenAlert("ha_websocket_dead:ha:homeassistant", "heartbeat", AlertType.WEBSOCKET_DEAD, "c", NOW.minusSeconds(90),
                NOW.minusSeconds(90), List.of()));
        reachable = Optional.of(false);
        assertThat(render()).contains("data-ha-state=\"down\"", "since 1 min ago");
        alerts.add(new OpenAlert("ha_auth_failed:ha:homeassistant", "heartbeat", AlertType.AUTH_FAILED, "c2", NOW.minusSeconds(30),
                NOW.minusSeconds(30), List.of()));
        assertThat(render()).contains("data-ha-state=\"token rejected\"");
        // The page reads the state the heartbeat carries, not its note (which says "answers" here).
        heartbeatSeen = new HaSeen.Answering("2026.11.0", CoreState.NOT_RUNNING);
        alerts.clear();
        reachable = Optional.of(true);
        assertThat(render()).contains("data-ha-state=\"starting\"");
    }

    @Test
    void text_from_home_assistant_is_escaped_and_the_page_names_nothing_outside_the_agent() {
        Finding hostile = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.ENTITY, "sensor.x", "<script>alert(1)</script>"),
                "\"><img src=x onerror=alert(1)>", List.of("sensor.x"), NOW, Map.of());
        findings.add(hostile);
        alerts.add(new OpenAlert(hostile.alertKey(), "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, "c", NOW, NOW, List.of("sensor.x")));
        String html = render();
        assertThat(html).doesNotContain("<script>alert", "<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).doesNotContain("http://", "https://", "//cdn", "@import");
    }

    @Test
    void a_failing_relay_is_said_as_such_not_as_events_that_are_not_written() {
        problems = List.of(new AgentView.Problem("relay", "webhook https://ntfy.sh/…1a2b: refuses events (answered 401)", NOW.minusSeconds(90)));
        String html = render();
        assertThat(html).contains("<strong>relay</strong>: webhook https://ntfy.sh/…1a2b: refuses events (answered 401)",
                "the relay does not deliver them").doesNotContain("not reaching the events directory");
    }

    @Test
    void a_failing_events_directory_is_said_first() {
        assertThat(render()).doesNotContain("id=\"problems\"");
        problems = List.of(new AgentView.Problem("events", "No space left on device", NOW.minusSeconds(120)));
        String html = render();
        assertThat(html).contains("The agent is failing", "<strong>events</strong>: No space left on device", "since 2 min ago");
        assertThat(html.indexOf("id=\"problems\"")).isLessThan(html.indexOf("id=\"ha\""));
    }
}
