package dev.hadiag.app.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hadiag.app.agent.DiagnosticsFactory;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile HA, as the agent's core meets it through the real adapter, a real SQLite file and real event
 * files: malformed JSON, 500, HTML with 200, stalled and dripping bodies, garbage WebSocket frames, a silent
 * WebSocket. Every fault ends, within the request timeout, in a skipped or failed run (or a heartbeat error)
 * whose reason names it; nothing escapes, the token shows nowhere, and the next healthy answer is used.
 */
class HostileHomeAssistantFaultIT {

    static final String TOKEN = "hostile-fault-token-never-shown-0123456789";
    static final Duration GUARD = Duration.ofSeconds(20);

    enum Socket { HEALTHY, GARBAGE, SILENT }

    /** One fault: where it is served, the check that meets it, and what its report must say. */
    record Fault(String name, String path, Supplier<MockResponse> answer, Socket socket, String check, CheckStatus status,
            String reason) {
    }

    @TempDir
    Path dir;
    MockWebServer server;
    OkHttpHomeAssistant ha;
    SqliteDiagnosticStore store;
    Diagnostics diagnostics;
    volatile Fault current;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request.getUrl().encodedPath());
            }
        });
        server.start(0);
        Files.writeString(dir.resolve("config.yaml"), "request_timeout: 1s\n");
        AgentConfig config = ConfigLoader.load(Map.of("HA_URL", server.url("/").toString().replaceAll("/$", ""), "HA_TOKEN", TOKEN,
                "NODE_NAME", "hostile"), dir.resolve("config.yaml").toString(), () -> "hostile");
        ha = new OkHttpHomeAssistant(new HaClientSettings(config.haUrl(), config.haToken(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        store = SqliteDiagnosticStore.open(dir.resolve("ha_diag.db"));
        diagnostics = DiagnosticsFactory.create(config, List.of(BuiltInCheck.HEARTBEAT.wire(), BuiltInCheck.UNAVAILABLE_ENTITIES.wire(),
                BuiltInCheck.UPDATES_AVAILABLE.wire()), ha, store, FileSystemEventSink.open(dir.resolve("events")), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        ha.close();
        store.close();
        server.close();
    }

    static List<Fault> faults() {
        String broken = "[{\"entity_id\": \"update.fw\", \"state\": \"on\", \"attri";
        String html = "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>";
        StringBuilder states = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            states.append(i == 0 ? "" : ",").append(state("sensor.s" + i));
        }
        String longStates = states.append("]").toString();
        return List.of(
                new Fault("malformed JSON", "/api/states", () -> json(200, broken), Socket.HEALTHY, BuiltInCheck.UPDATES_AVAILABLE.wire(),
                        CheckStatus.FAILED, "malformed JSON"),
                new Fault("HTTP 500", "/api/", () -> json(500, "500 Internal Server Error"), Socket.HEALTHY, BuiltInCheck.HEARTBEAT.wire(),
                        CheckStatus.ERROR, "HTTP 500"),
                new Fault("HTML with 200", "/api/config", () -> new MockResponse.Builder().code(200)
                        .addHeader("Content-Type", "text/html").body(html).build(), Socket.HEALTHY, BuiltInCheck.HEARTBEAT.wire(),
                        CheckStatus.FAILED, "malformed JSON"),
                new Fault("stalled answer", "/api/", () -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build(),
                        Socket.HEALTHY, BuiltInCheck.HEARTBEAT.wire(), CheckStatus.ERROR, "unreachable"),
                new Fault("dripping body", "/api/states", () -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(longStates).throttleBody(64, 100, TimeUnit.MILLISECONDS).build(), Socket.HEALTHY, BuiltInCheck.UPDATES_AVAILABLE.wire(),
                        CheckStatus.SKIPPED, "timed out"),
                new Fault("garbage WebSocket frames", "", null, Socket.GARBAGE, BuiltInCheck.UNAVAILABLE_ENTITIES.wire(),
                        CheckStatus.FAILED, "malformed frame"),
                new Fault("silent WebSocket", "", null, Socket.SILENT, BuiltInCheck.UNAVAILABLE_ENTITIES.wire(),
                        CheckStatus.SKIPPED, "no answer within"));
    }

    @Test
    void every_hostile_answer_ends_in_a_report_naming_it_and_the_next_healthy_answer_is_used() throws IOException {
        List<String> figures = new ArrayList<>();
        for (Fault fault : faults()) {
            current = fault;
            CheckReport report = assertTimeoutPreemptively(GUARD, () -> diagnostics.run(fault.check()), fault.name());
            figures.add(fault.name() + " -> " + report.status().wire() + ": " + report.reason());
            assertThat(report.status()).as(fault.name() + ": " + report.reason()).isEqualTo(fault.status());
            assertThat(report.reason()).as(fault.name()).contains(fault.reason()).doesNotContain(TOKEN);

            current = null;
            for (String check : diagnostics.checkNames()) {
                CheckReport healthy = assertTimeoutPreemptively(GUARD, () -> diagnostics.run(check), fault.name() + ", then " + check);
                assertThat(healthy.status()).as(fault.name() + ", then " + check + ": " + healthy.reason()).isEqualTo(CheckStatus.OK);
            }
        }
        figures.forEach(line -> System.out.println("hostile HA: " + line));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".db")).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(TOKEN);
            }
        }
    }

    private MockResponse answer(String path) {
        Fault fault = current;
        if (path.equals("/api/websocket")) {
            return webSocket();
        }
        if (fault != null && fault.path().equals(path)) {
            return fault.answer().get();
        }
        return switch (path) {
            case "/api/" -> json(200, "{\"message\": \"API running.\"}");
            case "/api/config" -> json(200, "{\"version\": \"2024.3.3\", \"state\": \"RUNNING\", \"location_name\": \"Hostile\","
                    + " \"components\": []}");
            case "/api/states" -> json(200, "[" + state("sensor.ok") + "]");
            case "/api/config/config_entries/entry" -> json(200, "[]");
            default -> json(404, "{\"message\": \"not found\"}");
        };
    }

    // The adapter keeps one WebSocket open across runs: each frame answers as the fault of the moment says.
    private MockResponse webSocket() {
        return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send("{\"type\":\"auth_required\",\"ha_version\":\"2024.3.3\"}");
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                if (text.contains("\"type\":\"auth\"")) {
                    webSocket.send("{\"type\":\"auth_ok\",\"ha_version\":\"2024.3.3\"}");
                    return;
                }
                long id = Long.parseLong(text.replaceAll(".*\"id\":(\\d+).*", "$1"));
                Fault fault = current;
                Socket mode = fault == null ? Socket.HEALTHY : fault.socket();
                if (text.contains("supported_features") || mode == Socket.HEALTHY) {
                    // an empty answer in HA's shape for each command (the compact registry is an object)
                    String result = text.contains("supported_features") ? "null"
                            : text.contains("list_for_display") ? "{\"entity_categories\":{},\"entities\":[]}" : "[]";
                    webSocket.send("{\"id\":" + id + ",\"type\":\"result\",\"success\":true,\"result\":" + result + "}");
                } else if (mode == Socket.GARBAGE) {
                    webSocket.send("\u0000\u00ff{{ not json ]]");
                }
                // SILENT: never answers
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
            }
        }).build();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String state(String entityId) {
        return "{\"entity_id\": \"" + entityId + "\", \"state\": \"21\", \"attributes\": {}, \"last_changed\": \"2026-11-23T10:00:00+00:00\","
                + " \"last_updated\": \"2026-11-23T10:00:00+00:00\"}";
    }
}
