package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium driven by Debian's ChromeDriver over the W3C WebDriver protocol (plain HTTP and JSON: no client
 * library needed), headless, at a phone's width, and kept on loopback: every host name but 127.0.0.1 fails to resolve.
 */
final class WebDriverBrowser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process driver;
    private final String session;

    private WebDriverBrowser(Process driver, String session) {
        this.driver = driver;
        this.session = session;
    }

    static WebDriverBrowser start(Path dir, int width, int height) throws Exception {
        int port = AgentProcess.freePort();
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromedriver.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> send("GET", base + "/status", null).path("value").path("ready").asBoolean());
        ObjectNode options = JSON.createObjectNode().put("binary", CHROMIUM.toString());
        ArrayNode args = options.putArray("args");
        for (String arg : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
                "--disable-domain-reliability", "--disable-default-apps",
                "--disable-features=NetworkTimeServiceQuerying,Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile-"), "--window-size=" + width + "," + height)) {
            args.add(arg);
        }
        // A phone's viewport, exactly: a headless window cannot be made narrower than 500 px.
        options.putObject("mobileEmulation").putObject("deviceMetrics").put("width", width).put("height", height).put("pixelRatio", 1);
        ObjectNode capabilities = JSON.createObjectNode();
        capabilities.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome").set("goog:chromeOptions", options);
        JsonNode created = send("POST", base + "/session", capabilities);
        String sessionId = created.path("value").path("sessionId").asText();
        assertThat(sessionId).as("WebDriver session: " + created).isNotEmpty();
        return new WebDriverBrowser(driver, base + "/session/" + sessionId);
    }

    void open(String url) throws Exception {
        send("POST", session + "/url", JSON.createObjectNode().put("url", url));
    }

    /** The DOM as the browser has it now (after scripts ran), serialised. */
    String dom() throws Exception {
        return script("return document.documentElement.outerHTML;").asText();
    }

    JsonNode script(String body) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        request.putArray("args");
        return send("POST", session + "/execute/sync", request).path("value");
    }

    /** Every URL the page loaded: the document itself and each resource (CSS, script, fetch). */
    List<String> requestedUrls() throws Exception {
        List<String> urls = new ArrayList<>();
        for (JsonNode url : script("return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));")) {
            urls.add(url.asText());
        }
        return urls;
    }

    /** Types into the element a CSS selector finds, as a person's keystrokes. */
    void type(String css, String text) throws Exception {
        send("POST", element(css) + "/value", JSON.createObjectNode().put("text", text));
    }

    /** Clicks the element a CSS selector finds, as a person's click (it must be visible). */
    void click(String css) throws Exception {
        send("POST", element(css) + "/click", JSON.createObjectNode());
    }

    private String element(String css) throws Exception {
        JsonNode found = send("POST", session + "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        String id = found.path("value").path("element-6066-11e4-a52e-4f735466cecf").asText(); // W3C's web element reference
        assertThat(id).as("element " + css + ": " + found).isNotEmpty();
        return session + "/element/" + id;
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(send("GET", session + "/screenshot", null).path("value").asText()));
    }

    private static JsonNode send(String method, String url, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Override
    public void close() throws Exception {
        try {
            send("DELETE", session, null);
        } finally {
            driver.destroy();
            driver.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
