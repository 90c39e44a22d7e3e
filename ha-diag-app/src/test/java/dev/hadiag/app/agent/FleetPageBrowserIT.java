package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.relay.MosquittoBroker;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet page in a real headless Chromium at a phone's 375 px, against {@code ha-diag fleet}, a real mosquitto and
 * two {@code ha-diag relay} processes on fixture trees (no Home Assistant): a row per node, a row opening onto its
 * alert tree, and a node killed showing offline after the page's own refresh, the open row still open. Screenshots in
 * {@code target/fleet-page/}.
 */
class FleetPageBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target", "fleet-page");

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private AgentProcess relay(MosquittoBroker broker, String node, Path events) throws Exception {
        AgentProcess relay = AgentProcess.start(dir.resolve("run-" + node), List.of("-Xmx64m"), Map.of("NODE_NAME", node,
                "HA_DIAG_MQTT_HEARTBEAT_INTERVAL", "2s"), "relay", "--events-dir", events.toString(), "--state",
                dir.resolve(node + ".db").toString(), "--mqtt-url", "mqtt://127.0.0.1:" + broker.port);
        running.add(relay);
        return relay;
    }

    @Test
    void a_row_per_node_opens_onto_its_alerts_and_a_killed_node_turns_offline_on_the_next_refresh() throws Exception {
        if (!Files.isExecutable(WebDriverBrowser.CHROMEDRIVER) && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("chromium and chromedriver are not installed");
        }
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        Path eventsA = dir.resolve("events-a");
        FileSystemEventSink.open(eventsA).emit(Event.of(Instant.now().minusSeconds(300), "piha", "ha_integration_failed", Severity.ERROR,
                "ha-diag-agent", "homeassistant", "c-zha", Map.of("alert_key", "ha_integration_failed:integration:zha",
                        "summary", "Zigbee Home Automation failed to set up")));
        Path eventsB = Files.createDirectories(dir.resolve("events-b"));
        relay(broker, "piha", eventsA);
        AgentProcess nas = relay(broker, "nas", eventsB);
        AgentProcess fleet = AgentProcess.start(dir.resolve("run-fleet"), List.of("-Xmx96m"), Map.of("NODE_NAME", "fleet",
                "HA_DIAG_FLEET_OFFLINE_GRACE", "2s"), "fleet", "--mqtt-url", "mqtt://127.0.0.1:" + broker.port, "--events-dir",
                dir.resolve("fleet-events").toString());
        running.add(fleet);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> fleet.get("/fleet").body().contains("\"nas\"")
                && fleet.get("/fleet").body().contains("ha_integration_failed:integration:zha"));

        WebDriverBrowser browser = WebDriverBrowser.start(dir, 375, 1000);
        running.add(browser);
        browser.open("http://127.0.0.1:" + fleet.port + "/");
        assertThat(browser.script("return Array.from(document.querySelectorAll('.fleet-node')).map(n => n.dataset.node + ' ' + n.dataset.presence);"))
                .extracting(Object::toString).containsExactly("\"nas online\"", "\"piha online\"");
        String alert = "document.querySelector('[data-fleet-alert-key=\"ha_integration_failed:integration:zha\"]')";
        // checkVisibility, not offsetHeight: Chromium hides a closed <details> with content-visibility, which still lays it out.
        assertThat(browser.script("return " + alert + ".checkVisibility();").asBoolean()).as("closed row: its alerts hidden").isFalse();
        browser.script("document.querySelector('[data-node=\"piha\"] summary').click();");
        assertThat(browser.script("return " + alert + ".checkVisibility();").asBoolean()).as("opened row: its alert tree shows").isTrue();
        assertThat(browser.script("return " + alert + ".innerText;").asText()).contains("zha").contains("Zigbee Home Automation failed to set up");
        assertThat(browser.script("return document.documentElement.scrollWidth;").asInt()).as("page width").isLessThanOrEqualTo(375);
        browser.screenshot(SCREENSHOTS.resolve("1-online.png"));

        nas.kill();
        await().atMost(Duration.ofSeconds(60)).until(() -> browser.script(
                "return document.querySelector('[data-node=\"nas\"]').dataset.presence;").asText().equals("offline"));
        assertThat(browser.script("return document.body.getAttribute('data-refreshed');").asInt(0)).as("by status.js, not a reload").isPositive();
        assertThat(browser.script("return document.querySelector('[data-node=\"nas\"]').innerText;").asText()).contains("connection_lost");
        assertThat(browser.script("return " + alert + ".checkVisibility();").asBoolean()).as("the open row stays open across the refresh").isTrue();
        browser.screenshot(SCREENSHOTS.resolve("2-nas-offline.png"));
        assertThat(browser.requestedUrls()).allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:" + fleet.port + "/"));
    }
}
