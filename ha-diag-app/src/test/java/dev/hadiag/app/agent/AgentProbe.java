package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the agent ITs ask of a running agent, however it was started (jar, container, compose): its HTTP API
 * on 127.0.0.1, the event files it wrote, and whether the HA token leaked anywhere. Every response body is
 * kept for that last check.
 */
final class AgentProbe {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> responses = new ArrayList<>();
    private int port;

    int port() {
        return port;
    }

    /** Points the probe at an agent listening on 127.0.0.1:port. */
    void port(int port) {
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    HttpResponse<String> http(String method, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        responses.add(response.body());
        return response;
    }

    JsonNode health() throws Exception {
        HttpResponse<String> response = http("GET", "/health");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Whether HA reports this entity in this state (read straight from HA's REST API). */
    static boolean entityIs(RealHomeAssistant ha, String entityId, String state) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ha.url() + "/api/states/" + entityId))
                .header("Authorization", "Bearer " + ha.token().value()).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && JSON.readTree(response.body()).get("state").asText().equals(state);
    }

    static List<Event> written(Path events, String type) {
        if (!Files.isDirectory(events)) {
            return List.of();
        }
        try (Stream<Event> found = new FileSystemEventLog(events).find(EventQuery.all())) {
            return found.filter(e -> e.type().equals(type)).toList();
        }
    }

    /** The token is in no log text given, no file under the events directory, and no HTTP response seen. */
    void assertTokenNowhere(String token, Path events, List<String> logs) throws IOException {
        assertThat(logs).noneMatch(log -> log.contains(token));
        if (Files.isDirectory(events)) {
            try (Stream<Path> files = Files.walk(events)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, StandardCharsets.UTF_8)).as(file.toString()).doesNotContain(token);
                }
            }
        }
        assertThat(responses).noneMatch(body -> body.contains(token));
    }
}
