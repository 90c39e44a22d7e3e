package dev.hadiag.http;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.CheckContext;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import dev.hadiag.http.testing.DiagnosticsAgentView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API on a real Javalin server on an ephemeral loopback port, over a real Diagnostics with a fake HA. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(new HaSnapshot(
            List.of(new EntityState("update.fw", "on", Map.of("installed_version", "1.0", "latest_version", "1.1"), T0, T0)),
            List.of(), List.of(), List.of()));
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final MutableClock clock = new MutableClock(T0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final AtomicInteger slowRunning = new AtomicInteger();
    private final AtomicInteger slowMaxRunning = new AtomicInteger();
    private HttpApi api;

    private final Check slow = new Check() {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public boolean needsRunningHa() {
            return false;
        }

        @Override
        public CheckOutcome run(HomeAssistant ha, CheckContext context) {
            slowMaxRunning.accumulateAndGet(slowRunning.incrementAndGet(), Math::max);
            slowStarted.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowRunning.decrementAndGet();
            return CheckOutcome.Completed.of(List.of());
        }
    };

    private final Diagnostics diagnostics = Diagnostics.builder(ha, store, new RecordingEventSink())
            .checks(new HeartbeatCheck(), new UpdatesAvailableCheck(IgnoreRules.NONE), slow)
            .events(new AlertEvents("node1", "lab", "http://ha:8123")).clock(clock).build();

    private final AgentView view = new DiagnosticsAgentView(diagnostics, store, () -> "# TYPE ha_diag_up gauge\nha_diag_up 1\n");

    private void start(Optional<String> token) {
        api = HttpApi.builder(view, clock).apiToken(token.orElse("")).build();
        api.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    @Test
    void health_answers_with_ws_state_and_the_last_run_of_each_check() throws Exception {
        start(Optional.empty());
        diagnostics.run("updates_available");
        HttpResponse<String> response = send("GET", "/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("ws_connected").asBoolean()).isFalse();
        assertThat(body.get("checks").get("updates_available").get("status").asText()).isEqualTo("ok");
        assertThat(body.get("checks").get("updates_available").get("findings").asInt()).isEqualTo(1);
    }

    @Test
    void health_lists_the_checks_in_the_order_of_checks_at_every_answer() throws Exception {
        start(Optional.empty());
        diagnostics.run("updates_available");
        diagnostics.run("heartbeat");
        release.countDown();
        diagnostics.run("slow");
        List<String> order = new java.util.ArrayList<>();
        json(send("GET", "/checks")).get("checks").forEach(check -> order.add(check.get("name").asText()));
        assertThat(order).containsExactly("heartbeat", "updates_available", "slow");
        for (int i = 0; i < 5; i++) {
            List<String> health = new java.util.ArrayList<>();
            json(send("GET", "/health")).get("checks").fieldNames().forEachRemaining(health::add);
            assertThat(health).isEqualTo(order);
        }
        assertThat(json(send("GET", "/checks")).get("checks").get(0).get("live").asBoolean()).isFalse();
    }

    @Test
    void trigger_runs_the_check_and_returns_its_report_and_alerts_lists_what_it_opened() throws Exception {
        start(Optional.empty());
        HttpResponse<String> response = send("POST", "/trigger/updates_available");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.get("name").asText()).isEqualTo("updates_available");
        assertThat(report.get("events_emitted").asInt()).isEqualTo(1);
        assertThat(report.get("findings").get(0).get("root_cause").get("kind").asText()).isEqualTo("update");

        JsonNode alerts = json(send("GET", "/alerts"));
        assertThat(alerts.get("alerts").get(0).get("alert_key").asText()).isEqualTo("ha_update_available:update:update.fw");
        JsonNode checks = json(send("GET", "/checks"));
        assertThat(checks.get("checks")).hasSize(3);
    }

    @Test
    void an_unknown_check_is_404_listing_the_valid_names() throws Exception {
        start(Optional.empty());
        HttpResponse<String> response = send("POST", "/trigger/nope");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("valid_checks").toString()).contains("heartbeat", "updates_available", "slow");
    }

    @Test
    void with_an_api_token_trigger_needs_the_bearer_token_and_the_rest_stays_open() throws Exception {
        start(Optional.of("s3cret"));
        assertThat(send("POST", "/trigger/heartbeat").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/trigger/heartbeat", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/trigger/heartbeat", "Authorization", "Basic czNjcmV0").statusCode()).isEqualTo(401);
        HttpResponse<String> denied = send("POST", "/trigger/heartbeat");
        assertThat(denied.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(denied.body()).doesNotContain("s3cret");
        assertThat(send("POST", "/trigger/heartbeat", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void a_loopback_request_relayed_by_a_proxy_is_not_a_local_client_and_gets_no_trigger_without_a_token() throws Exception {
        start(Optional.empty());
        assertThat(send("POST", "/trigger/heartbeat").statusCode()).as("this host").isEqualTo(200);
        for (String header : HttpApi.PROXY_HEADERS) {
            HttpResponse<String> relayed = send("POST", "/trigger/heartbeat", header, "100.101.102.103");
            assertThat(relayed.statusCode()).as(header).isEqualTo(403);
        }
        assertThat(send("GET", "/health", "X-Forwarded-For", "100.101.102.103").statusCode()).as("reading stays open").isEqualTo(200);
    }

    @Test
    void bad_requests_get_json_errors_and_the_server_keeps_answering() throws Exception {
        start(Optional.empty());
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
        assertThat(json(send("GET", "/nope")).get("error").asText()).contains("no such endpoint");
        HttpResponse<String> wrongMethod = send("GET", "/trigger/heartbeat");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).get("error").asText()).isEqualTo("GET is not allowed on /trigger/heartbeat");
        assertThat(send("DELETE", "/health").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/trigger").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/trigger/%00%ff..%2F").statusCode()).isIn(400, 404);
        // A body no endpoint reads: the server may answer before the client has sent it all and close the connection,
        // which the JDK client reports as an IOException (HttpApiFaultTest pins the exact answers over raw sockets).
        // Either way: no server error, and the server keeps answering.
        try {
            HttpResponse<String> big = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/trigger/heartbeat"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isLessThan(500);
        } catch (java.io.IOException closedWhileSending) {
            assertThat(closedWhileSending).hasMessageNotContaining("refused");
        }
        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void metrics_are_prometheus_text() throws Exception {
        start(Optional.empty());
        HttpResponse<String> response = send("GET", "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("ha_diag_up 1");
    }

    @Test
    void a_trigger_while_the_same_check_runs_waits_for_it_and_never_runs_it_twice_at_once() throws Exception {
        start(Optional.empty());
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> sendUnchecked("/trigger/slow"));
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> sendUnchecked("/trigger/slow"));
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(slowMaxRunning.get()).isEqualTo(1);
    }

    private HttpResponse<String> sendUnchecked(String path) {
        try {
            return send("POST", path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
