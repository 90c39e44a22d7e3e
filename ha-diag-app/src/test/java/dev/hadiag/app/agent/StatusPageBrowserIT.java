package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian's), at a phone's 375 px width, against the agent jar and a real
 * Home Assistant: what a person sees as a device goes offline and comes back. Screenshots of each state are kept in
 * {@code target/status-page/} as build artefacts.
 */
@ExtendWith(HomeAssistantExtension.class)
class StatusPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
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
    private final List<Path> netLogs = new ArrayList<>();

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
        if (!Files.isExecutable(CHROMIUM)) {
            String why = "Chromium is not installed (apt-get install chromium; .ci/run does)";
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
        Map<String, String> env = new HashMap<>();
        env.put("HA_URL", ha.url());
        env.put("HA_TOKEN", ha.token().value());
        env.put("NODE_NAME", "piha");
        env.put("HA_DIAG_EVENTS_DIR", dir.resolve("events").toString());
        env.put("HA_DIAG_DB", dir.resolve("ha_diag.db").toString());
        env.put("HA_DIAG_CONFIG", config.toString());
        AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run");
        running.add(agent);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> JSON.readTree(agent.get("/health").body()).path("ha_reachable").asBoolean());
        String page = "http://127.0.0.1:" + agent.port + "/";

        addPorchDevice();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> porchStates().equals(List.of("21", "21")));
        String up = browse(page, "1-ha-up", 0);
        assertThat(up).contains("data-ha-state=\"up\"", "Nothing is wrong that the agent can see", "data-check=\"heartbeat\"");

        ha.setInputBoolean(PLUG, false);
        publish(PORCH_AVAILABILITY, "offline", true);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> porchStates().equals(List.of("unavailable", "unavailable")));
        await().atMost(Duration.ofSeconds(30)).until(() -> trigger(agent).path("findings").size() >= 3);
        String down = browse(page, "2-device-offline", 0);
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
        String resolved = browse(page, "3-resolved", 0);
        assertThat(resolved).contains("Nothing is wrong that the agent can see");
        Matcher incidents = Pattern.compile("<li class=\"incident [^\"]*\" data-correlation-id=\"([^\"]+)\" data-state=\"([a-z]+)\"")
                .matcher(section(resolved, "id=\"timeline\"", "</section>"));
        List<String> states = new ArrayList<>();
        while (incidents.find()) {
            states.add(incidents.group(2));
        }
        assertThat(states).as("one incident per root cause, each resolved").containsExactly("resolved", "resolved", "resolved");
        assertThat(resolved).contains("ha_entity_unavailable_long").containsPattern("\\d{2}:\\d{2} → [A-Z][a-z]{2} \\d+ \\d{2}:\\d{2}");

        // With JavaScript on, the page refreshes its content in place (no reload): the script counts its swaps.
        String refreshed = browse(page, "4-refreshed", 25_000);
        assertThat(refreshed).containsPattern("<body data-refreshed=\"[1-9]");

        // Every request the page made went to the agent: no CDN, no font, no script from elsewhere. (The browser's own
        // background requests, which carry no page origin, are cut off by --host-resolver-rules and not counted.)
        String origin = "http://127.0.0.1:" + agent.port;
        int fromPage = 0;
        for (Path netLog : netLogs) {
            for (JsonNode event : JSON.readTree(netLog.toFile()).path("events")) {
                JsonNode params = event.path("params");
                if (params.has("url") && params.path("initiator").asText("").startsWith("http")) {
                    fromPage++;
                    assertThat(params.path("initiator").asText()).isEqualTo(origin);
                    assertThat(params.path("url").asText()).as("a request of the status page").startsWith(origin + "/");
                }
            }
        }
        assertThat(fromPage).as("requests the page made (its CSS, script and refreshes)").isPositive();
        assertThat(up + down + resolved).doesNotContain(ha.token().value());
    }

    /**
     * Loads the page in headless Chromium at 375 px wide, saves a screenshot, and returns the DOM as the browser has it.
     *
     * @param virtualMillis how long the page runs (virtual time, so timers fire without waiting) before the DOM is taken
     */
    private String browse(String url, String name, int virtualMillis) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-");
        Path netLog = dir.resolve(name + "-netlog.json");
        netLogs.add(netLog);
        List<String> common = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-pings", "--disable-domain-reliability", "--disable-default-apps",
                "--disable-features=NetworkTimeServiceQuerying,Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                // Loopback only, whatever the browser would like to fetch on its own: other names do not resolve.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile, "--window-size=375,1400", "--hide-scrollbars"));
        if (virtualMillis > 0) {
            common.add("--virtual-time-budget=" + virtualMillis);
        }
        List<String> shot = new ArrayList<>(common);
        shot.add("--screenshot=" + SCREENSHOTS.resolve(name + ".png").toAbsolutePath());
        shot.add(url);
        run(shot);
        List<String> dump = new ArrayList<>(common);
        dump.add("--log-net-log=" + netLog);
        dump.add("--dump-dom");
        dump.add(url);
        return run(dump);
    }

    private String run(List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "chromium-out-", ".html");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium exit code").isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
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
