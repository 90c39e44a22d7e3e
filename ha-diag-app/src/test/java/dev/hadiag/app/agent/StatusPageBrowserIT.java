package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian's, driven by Debian's ChromeDriver), at a phone's 375 px width, against the agent jar and a real
 * Home Assistant: what a person sees as a device goes offline and comes back. Screenshots of each state are kept in
 * {@code target/status-page/} as build artefacts.
 */
@ExtendWith(HomeAssistantExtension.class)
class StatusPageBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target", "status-page");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String PLUG = "input_boolean.kitchen_plug_online";
    /** A device of our own, made by MQTT discovery with an availability topic: it goes offline on its own, as a real one does. */
    private static final String PORCH = "hadiag_porch";
    private static final String PORCH_AVAILABILITY = "ha-diag-test/porch/availability";

    private final RealHomeAssistant ha;
    private final Path dir;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<String> requested = new ArrayList<>();
    private WebDriverBrowser browser;

    StatusPageBrowserIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        this.dir = dir;
    }

    @AfterEach
    void stopAndRestore() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        ha.setInputBoolean(PLUG, true);
        for (String sensor : List.of("temperature", "humidity")) {
            publish("homeassistant/sensor/" + PORCH + "/" + sensor + "/config", "", true); // removes the entity and, last, the device
        }
        publish(PORCH_AVAILABILITY, "", true);
    }

    /** Publishes through HA's own mqtt.publish service, so the test needs nothing but HA's API. */
    private void publish(String topic, String payload, boolean retain) {
        ha.callService("mqtt", "publish", JSON.createObjectNode().put("topic", topic).put("payload", payload).put("retain", retain).toString());
    }

    private void addPorchDevice() {
        for (String sensor : List.of("temperature", "humidity")) {
            publish("homeassistant/sensor/" + PORCH + "/" + sensor + "/config", JSON.createObjectNode().put("name", sensor)
                    .put("unique_id", PORCH + "_" + sensor).put("state_topic", "ha-diag-test/porch/" + sensor)
                    .put("availability_topic", PORCH_AVAILABILITY)
                    .set("device", JSON.createObjectNode().put("name", "Porch multisensor").set("identifiers", JSON.createArrayNode().add(PORCH)))
                    .toString(), true);
            publish("ha-diag-test/porch/" + sensor, "21", true);
        }
        publish(PORCH_AVAILABILITY, "online", true);
    }

    private List<String> porchStates() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ha.url() + "/api/states"))
                .header("Authorization", "Bearer " + ha.token().value()).build(), HttpResponse.BodyHandlers.ofString());
        List<String> states = new ArrayList<>();
        for (JsonNode state : JSON.readTree(response.body())) {
            if (state.path("entity_id").asText().startsWith("sensor.porch_multisensor")) {
                states.add(state.path("state").asText());
            }
        }
        return states;
    }

    @Test
    void a_person_sees_ha_up_then_the_offline_device_and_entities_in_the_tree_then_each_incident_with_a_start_and_an_end() throws Exception {
        if (!Files.isExecutable(WebDriverBrowser.CHROMIUM) || !Files.isExecutable(WebDriverBrowser.CHROMEDRIVER)) {
            String why = "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Files.createDirectories(SCREENSHOTS);
        Path config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, """
                location_tag: browser-it
                """ + AgentProcess.ON_DEMAND_CHECKS);
        Map<String, String> env = AgentProcess.environment(ha, dir, "piha", config);
        // The device is there and answering before the agent's first look (threshold 0 s: a moment unavailable would alert).
        addPorchDevice();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> porchStates().equals(List.of("21", "21")));
        AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run");
        running.add(agent);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> JSON.readTree(agent.get("/health").body()).path("ha_reachable").asBoolean());
        String page = "http://127.0.0.1:" + agent.port + "/";

        browser = WebDriverBrowser.start(dir, 375, 1400);
        running.add(browser);
        String up = browse(page, "1-ha-up");
        assertThat(up).contains("data-ha-state=\"up\"", "answering since", "Nothing is wrong that the agent can see", "data-check=\"heartbeat\"");

        ha.setInputBoolean(PLUG, false);
        publish(PORCH_AVAILABILITY, "offline", true);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> porchStates().equals(List.of("unavailable", "unavailable")));
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agent).path("findings").size() >= 3);
        String down = browse(page, "2-device-offline");
        // Under "Devices": the porch multisensor, one alert with both of its entities.
        String devices = section(down, "<h3>Devices</h3>", "<h3>Entities</h3>");
        assertThat(devices).contains("Porch multisensor", "is offline: all 2 entities unavailable", "2 entities",
                "sensor.porch_multisensor_temperature", "sensor.porch_multisensor_humidity");
        // The test HA's kitchen plug sensors are template entities without a device: each is its own root cause, under
        // "Entities", with HA's name, the agent's text and the entity id.
        String entities = section(down, "<h3>Entities</h3>", "</section>");
        assertThat(entities).contains("Kitchen plug power", "Kitchen plug energy", "(sensor.kitchen_plug_power) is unavailable",
                "sensor.kitchen_plug_energy", "warning");
        assertThat(down).contains("data-ha-state=\"up\"", "<span class=\"count\">3</span>");

        ha.setInputBoolean(PLUG, true);
        publish(PORCH_AVAILABILITY, "online", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agent).path("findings").isEmpty());
        String resolved = browse(page, "3-resolved");
        assertThat(resolved).contains("Nothing is wrong that the agent can see");
        Matcher incidents = Pattern.compile("<li class=\"incident [^\"]*\" data-correlation-id=\"([^\"]+)\" data-state=\"([a-z]+)\"")
                .matcher(section(resolved, "id=\"timeline\"", "</section>"));
        List<String> states = new ArrayList<>();
        while (incidents.find()) {
            states.add(incidents.group(2));
        }
        assertThat(states).as("one incident per root cause, each resolved").containsExactly("resolved", "resolved", "resolved");
        assertThat(resolved).contains("ha_entity_unavailable_long").containsPattern("\\d{2}:\\d{2} → [A-Z][a-z]{2} \\d+ \\d{2}:\\d{2}");

        // The bars sit where their incidents happened on the 24 h axis (near the right end: just now), which the page's
        // content security policy must allow (style attributes).
        for (JsonNode left : browser.script("return Array.from(document.querySelectorAll('#timeline .bar')).map(b => b.offsetLeft);")) {
            assertThat(left.asInt()).as("a timeline bar's position").isGreaterThan(200);
        }

        // With JavaScript on, the page refreshes its content in place, without a reload: the script counts its swaps
        // on <body>, which a reload would reset.
        await().atMost(Duration.ofSeconds(40)).until(() -> browser.script("return document.body.getAttribute('data-refreshed');").asInt(0) >= 1);
        browser.screenshot(SCREENSHOTS.resolve("4-refreshed.png"));
        requested.addAll(browser.requestedUrls());

        // Every request the page made went to the agent: no CDN, no font, no script from elsewhere.
        String origin = "http://127.0.0.1:" + agent.port + "/";
        assertThat(requested).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(requested).anySatisfy(url -> assertThat(url).endsWith("/status.css")).anySatisfy(url -> assertThat(url).endsWith("/status.js"));
        assertThat(up + down + resolved).doesNotContain(ha.token().value());
    }

    private static final String POWER = "ha_entity_unavailable_long:entity:sensor.kitchen_plug_power";
    private static final String ENERGY = "ha_entity_unavailable_long:entity:sensor.kitchen_plug_energy";

    private String alertState(String key) throws Exception {
        return browser.script("var a = document.querySelector('[data-alert-key=\"" + key + "\"]'); return a ? a.getAttribute('data-alert-state') : '';")
                .asText();
    }

    /**
     * Issue 26's done-when for the page's actions, in the real browser against the agent jar with an API token and a real
     * HA: the token entered on the page, a silence made from an alert's button shows the alert as silenced, the silence
     * expired from the page, an alert acknowledged from the page writes no repeat (while the other one repeats) and its
     * resolution is still written.
     */
    @Test
    void a_person_enters_the_token_silences_an_alert_expires_the_silence_and_acknowledges_an_alert_that_then_does_not_repeat() throws Exception {
        if (!Files.isExecutable(WebDriverBrowser.CHROMIUM) || !Files.isExecutable(WebDriverBrowser.CHROMEDRIVER)) {
            String why = "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Path config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, "alerts: { repeat_interval: 1s }\n" + AgentProcess.ON_DEMAND_CHECKS);
        Map<String, String> env = new java.util.HashMap<>(AgentProcess.environment(ha, dir, "piha", config));
        String apiToken = "page-token-" + java.util.UUID.randomUUID();
        env.put("HA_DIAG_API_TOKEN", apiToken);
        AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run");
        running.add(agent);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> JSON.readTree(agent.get("/health").body()).path("ha_reachable").asBoolean());
        Path events = dir.resolve("events");
        ha.setInputBoolean(PLUG, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.kitchen_plug_power", "unavailable"));

        browser = WebDriverBrowser.start(dir, 375, 1400);
        running.add(browser);
        browser.open("http://127.0.0.1:" + agent.port + "/");
        browser.type("#api-token", apiToken);
        browser.click("#token-use");
        assertThat(browser.script("return document.getElementById('action-result').textContent;").asText()).isEqualTo("Token set for this tab.");
        assertThat(browser.dom()).as("the token is kept in the tab, not in the page").doesNotContain(apiToken);

        browser.click("tr[data-check=\"unavailable_entities\"] button[data-action=\"run\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> alertState(POWER).equals("reported") && alertState(ENERGY).equals("reported"));

        browser.click("[data-alert-key=\"" + POWER + "\"] button[data-action=\"silence\"][data-field=\"alert_key\"]");
        await().atMost(Duration.ofSeconds(15)).until(() -> alertState(POWER).equals("silenced"));
        browser.screenshot(SCREENSHOTS.resolve("5-silenced.png"));
        JsonNode silences = JSON.readTree(agent.get("/silences").body()).get("silences");
        assertThat(silences).singleElement().satisfies(silence -> {
            assertThat(silence.get("matchers").get(0).get("glob").asText()).isEqualTo(POWER);
            assertThat(silence.get("created_by").asText()).isEqualTo("status page");
        });
        String silenceId = silences.get(0).get("id").asText();
        assertThat(browser.dom()).contains("data-silence-id=\"" + silenceId + "\"");

        browser.click("button[data-action=\"expire\"][data-silence-id=\"" + silenceId + "\"]");
        await().atMost(Duration.ofSeconds(15)).until(() -> alertState(POWER).equals("reported"));
        assertThat(JSON.readTree(agent.get("/silences").body()).get("silences").get(0).get("state").asText()).isEqualTo("expired");

        browser.click("[data-alert-key=\"" + POWER + "\"] button[data-action=\"acknowledge\"]");
        await().atMost(Duration.ofSeconds(15)).until(() -> alertState(POWER).equals("acknowledged"));
        browser.screenshot(SCREENSHOTS.resolve("6-acknowledged.png"));

        // Past the 1 s repeat interval, runs from the page: the other alert repeats, the acknowledged one does not. (A run the
        // live stream set off may have repeated either before the acknowledgement: counted from it.)
        int powerAtAck = opened(events, POWER).size();
        int energyAtAck = opened(events, ENERGY).size();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            browser.click("tr[data-check=\"unavailable_entities\"] button[data-action=\"run\"]");
            return opened(events, ENERGY).size() > energyAtAck;
        });
        List<Event> power = opened(events, POWER);
        assertThat(power).as("no repeat since the acknowledgement").hasSize(powerAtAck);
        ha.setInputBoolean(PLUG, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> !AgentProbe.entityIs(ha, "sensor.kitchen_plug_power", "unavailable"));
        browser.click("tr[data-check=\"unavailable_entities\"] button[data-action=\"run\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.written(events, EventTypes.HA_ENTITY_RECOVERED).stream()
                .anyMatch(e -> POWER.equals(e.payload().get("alert_key")) && e.correlationId().equals(power.get(0).correlationId())));
        assertThat(browser.dom()).doesNotContain(apiToken).doesNotContain(ha.token().value());
    }

    private static List<Event> opened(Path events, String key) {
        return AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG).stream().filter(e -> key.equals(e.payload().get("alert_key"))).toList();
    }

    /** Loads the page in the browser, saves a screenshot of what a person sees, and returns the DOM as the browser has it. */
    private String browse(String url, String name) throws Exception {
        browser.open(url);
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
        requested.addAll(browser.requestedUrls());
        // Readable at 375 px: nothing wider than the screen, no sideways scrolling of the page.
        assertThat(browser.script("return window.innerWidth;").asInt()).isEqualTo(375);
        assertThat(browser.script("return document.documentElement.scrollWidth;").asInt()).as(name + ": page width").isLessThanOrEqualTo(375);
        return browser.dom();
    }

    private static String section(String html, String from, String to) {
        int start = html.indexOf(from);
        assertThat(start).as(from).isNotNegative();
        int end = html.indexOf(to, start + from.length());
        return html.substring(start, end < 0 ? html.length() : end);
    }

    private static JsonNode trigger(AgentProcess agent) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/trigger/unavailable_entities"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
