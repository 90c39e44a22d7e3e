package dev.hadiag.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.UnknownCheckException;
import dev.hadiag.core.store.CheckStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import dev.hadiag.http.testing.StubAgentView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP abuse against a real Javalin on an ephemeral loopback port: broken and hostile requests, floods,
 * idle connections, clients from another address. Every loop is bounded in count and time. "Another
 * host" is 127.0.0.2 with a seam that counts only 127.0.0.1 as local: nothing leaves loopback.
 */
class HttpApiFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "api-s3cret-token";
    /** Only 127.0.0.1 and ::1 are "this host" here, so a socket bound to 127.0.0.2 plays a remote client. */
    private static final Predicate<InetAddress> ONLY_127_0_0_1 =
            address -> address.getHostAddress().equals("127.0.0.1") || address.getHostAddress().equals("0:0:0:0:0:0:0:1");

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private final List<AgentView.Problem> problems = new ArrayList<>();
    private HttpApi api;

    private final AgentView agent = new StubAgentView()
            .checks(List.of(new AgentView.CheckInfo("slow", true, Duration.ofSeconds(60))))
            .trigger(check -> {
                if (!check.equals("slow")) {
                    throw new UnknownCheckException(check, List.of("slow"));
                }
                runs.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new CheckReport("slow", CheckStatus.OK, "", "", List.of(), Instant.now(), Duration.ZERO, 0);
            })
            .problems(() -> List.copyOf(problems));

    private void start(Optional<String> token, boolean remoteAllowed, int maxWaiting) {
        api = HttpApi.builder(agent, Clock.systemUTC()).apiToken(token.orElse("")).remoteTriggerAllowed(remoteAllowed)
                .localClients(ONLY_127_0_0_1).maxWaitingTriggers(maxWaiting).build();
        api.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (api != null) {
            api.close();
        }
    }

    private static JsonNode jsonOf(RawHttp.Answer answer) throws Exception {
        assertThat(answer.contentType()).as("Content-Type of %s", answer.headers()).startsWith("application/json");
        return JSON.readTree(answer.body());
    }

    private void assertHealthy() throws Exception {
        RawHttp.Answer health = RawHttp.send(api.port(), "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(health.status()).isEqualTo(200);
        assertThat(jsonOf(health).get("status").asText()).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET /health%00 HTTP/1.1",
        "POST /trigger/%00 HTTP/1.1",
        "GET /../etc/passwd HTTP/1.1",
        "POST /trigger/../../health HTTP/1.1",
        "GET /%2e%2e/health HTTP/1.1",
        "POST /trigger/%00%ff..%2F HTTP/1.1",
        "POST /trigger/..%2F..%2Fhealth HTTP/1.1",
        "GET /health HTTP/9.9",
        "GARBAGE",
        "GET /nope HTTP/1.1",
        "DELETE /health HTTP/1.1",
        "GET /trigger/slow HTTP/1.1",
        "POST /trigger/%ZZ HTTP/1.1",
    })
    void a_bad_path_or_request_line_gets_a_json_error_and_the_api_keeps_answering(String requestLine) throws Exception {
        start(Optional.empty(), false, 8);
        RawHttp.Answer answer = RawHttp.send(api.port(), requestLine + "\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isBetween(400, 505);
        assertThat(jsonOf(answer).get("error").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("<html");
        assertHealthy();
    }

    @Test
    void oversized_headers_get_a_json_431_and_an_oversized_uri_a_json_414() throws Exception {
        start(Optional.empty(), false, 8);
        RawHttp.Answer headers = RawHttp.send(api.port(),
                "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
        assertThat(jsonOf(headers).get("error").asText()).contains("431");
        RawHttp.Answer manyHeaders = RawHttp.send(api.port(),
                "GET /health HTTP/1.1\r\nHost: t\r\n" + "X-H: v\r\n".repeat(5_000) + "Connection: close\r\n\r\n");
        assertThat(manyHeaders.status()).isEqualTo(431);
        jsonOf(manyHeaders);
        RawHttp.Answer uri = RawHttp.send(api.port(), "GET /" + "a/".repeat(20_000) + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(uri.status()).isEqualTo(414);
        jsonOf(uri);
        assertHealthy();
    }

    @Test
    void oversized_and_contradictory_bodies_get_json_errors() throws Exception {
        start(Optional.empty(), false, 8);
        RawHttp.Answer huge = RawHttp.send("127.0.0.1", api.port(), ("POST /trigger/nope HTTP/1.1\r\nHost: t\r\nContent-Length: 8000000\r\n"
                + "Connection: close\r\n\r\n" + "x".repeat(256 * 1024)).getBytes(StandardCharsets.ISO_8859_1));
        // No endpoint reads a body: it is discarded unread, never buffered, and the answer is the route's own.
        assertThat(huge.status()).isEqualTo(404);
        assertThat(jsonOf(huge).get("error").asText()).contains("unknown check");
        RawHttp.Answer hugeOnHealth = RawHttp.send(api.port(), "GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(hugeOnHealth.status()).isEqualTo(200);
        jsonOf(hugeOnHealth);
        RawHttp.Answer smuggled = RawHttp.send(api.port(), "POST /trigger/slow HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Length: 3\r\nConnection: close\r\n\r\n0\r\n\r\n");
        assertThat(smuggled.status()).isEqualTo(400);
        jsonOf(smuggled);
        assertThat(runs).hasValue(0);
        assertHealthy();
    }

    @Test
    void a_trigger_flood_coalesces_onto_one_run_refuses_beyond_the_bound_and_health_stays_fast() throws Exception {
        int maxWaiting = 16;
        int flood = 300;
        start(Optional.empty(), false, maxWaiting);
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            List<Future<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                answers.add(clients.submit(() -> RawHttp.send(api.port(), "POST /trigger/slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")));
            }
            // Every caller beyond the bound is refused while the first run is still held: none of them waits for it.
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.stream().filter(Future::isDone).count() == flood - maxWaiting);
            assertThat(api.waitingTriggers()).isEqualTo(maxWaiting);
            List<RawHttp.Answer> refused = new ArrayList<>();
            for (Future<RawHttp.Answer> answer : answers) {
                if (answer.isDone()) {
                    refused.add(answer.get());
                }
            }
            assertThat(refused).allSatisfy(answer -> {
                assertThat(answer.status()).isEqualTo(429);
                assertThat(answer.header("Retry-After")).contains("1");
            });
            assertThat(jsonOf(refused.get(0)).get("error").asText()).contains("too many triggers");

            long t0 = System.nanoTime();
            assertHealthy();
            long healthMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("FIGURE /health during a flood of " + flood + " triggers (" + maxWaiting + " waiting): " + healthMillis + " ms");

            release.countDown();
            int ok = 0;
            for (Future<RawHttp.Answer> answer : answers) {
                RawHttp.Answer done = answer.get(20, TimeUnit.SECONDS);
                if (done.status() == 200) {
                    ok++;
                    assertThat(jsonOf(done).get("name").asText()).isEqualTo("slow");
                }
            }
            assertThat(ok).isEqualTo(maxWaiting);
            // One run held the first caller; every other waiting caller shared the single run queued after it.
            assertThat(runs).hasValue(2);
            assertThat(api.waitingTriggers()).isZero();
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void a_trigger_arriving_during_a_run_gets_a_run_that_started_after_it() throws Exception {
        start(Optional.empty(), false, 8);
        CompletableFuture<RawHttp.Answer> first = CompletableFuture.supplyAsync(() -> post("127.0.0.1", "/trigger/slow", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
        CompletableFuture<RawHttp.Answer> second = CompletableFuture.supplyAsync(() -> post("127.0.0.1", "/trigger/slow", ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.waitingTriggers() == 2);
        assertThat(runs).hasValue(1);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(runs).hasValue(2);
    }

    @Test
    void hundreds_of_idle_half_sent_requests_do_not_keep_health_waiting() throws Exception {
        start(Optional.empty(), false, 8);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 5_000);
                socket.getOutputStream().write("POST /trigger/slow HTTP/1.1\r\nHost: t\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                idle.add(socket);
            }
            assertHealthy();
            assertThat(runs).hasValue(0);
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void without_a_token_trigger_answers_loopback_only_and_health_answers_everyone() throws Exception {
        start(Optional.empty(), false, 8);
        RawHttp.Answer remote = post("127.0.0.2", "/trigger/slow", "");
        assertThat(remote.status()).isEqualTo(403);
        assertThat(jsonOf(remote).get("error").asText()).contains("HA_DIAG_API_TOKEN", "HA_DIAG_ALLOW_REMOTE_TRIGGER");
        assertThat(runs).hasValue(0);
        RawHttp.Answer remoteHealth = RawHttp.send("127.0.0.2", api.port(),
                "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(remoteHealth.status()).isEqualTo(200);
        release.countDown();
        assertThat(post("127.0.0.1", "/trigger/slow", "").status()).isEqualTo(200);
        assertThat(runs).hasValue(1);
    }

    @Test
    void remote_triggers_without_a_token_need_the_explicit_setting() throws Exception {
        start(Optional.empty(), true, 8);
        release.countDown();
        assertThat(post("127.0.0.2", "/trigger/slow", "").status()).isEqualTo(200);
    }

    @Test
    void with_a_token_every_client_needs_it_and_no_answer_shows_it() throws Exception {
        start(Optional.of(SECRET), false, 8);
        release.countDown();
        RawHttp.Answer remoteWithout = post("127.0.0.2", "/trigger/slow", "");
        RawHttp.Answer localWithout = post("127.0.0.1", "/trigger/slow", "");
        RawHttp.Answer wrong = post("127.0.0.2", "/trigger/slow", "Authorization: Bearer " + SECRET + "x\r\n");
        assertThat(List.of(remoteWithout, localWithout, wrong)).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.headers() + answer.body()).doesNotContain(SECRET);
        });
        assertThat(post("127.0.0.2", "/trigger/slow", "Authorization: Bearer " + SECRET + "\r\n").status()).isEqualTo(200);
        assertThat(runs).hasValue(1);
    }

    @Test
    void the_production_notion_of_local_is_the_whole_loopback_range() throws Exception {
        assertThat(HttpApi.LOOPBACK).accepts(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"),
                InetAddress.getByName("::1"), InetAddress.getByName("::ffff:127.0.0.1"));
        assertThat(HttpApi.LOOPBACK).rejects(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("192.168.1.2"),
                InetAddress.getByName("172.17.0.1"), InetAddress.getByName("fe80::1"));
    }

    @Test
    void health_is_failing_with_503_and_the_reason_while_a_component_fails() throws Exception {
        start(Optional.empty(), false, 8);
        problems.add(new AgentView.Problem("events", "/events: No space left on device", Instant.parse("2026-11-24T05:00:00Z")));
        RawHttp.Answer answer = RawHttp.send(api.port(), "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(503);
        JsonNode body = jsonOf(answer);
        assertThat(body.get("status").asText()).isEqualTo("failing");
        assertThat(body.get("problems").get(0).get("component").asText()).isEqualTo("events");
        assertThat(body.get("problems").get(0).get("reason").asText()).contains("No space left on device");
        assertThat(body.get("ws_connected").asBoolean()).isTrue();
        problems.clear();
        assertHealthy();
    }

    private RawHttp.Answer post(String source, String path, String headers) {
        try {
            return RawHttp.send(source, api.port(), ("POST " + path + " HTTP/1.1\r\nHost: t\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
