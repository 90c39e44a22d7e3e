package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.CheckContext;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import dev.hadiag.http.HttpApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog of the checks, on a real AgentStatus and a real HTTP API on a loopback port: a check held by whatever
 * holds it (here a latch) makes {@code /health} fail once it outlives its bound, and recovers when it ends.
 */
class RunningChecksTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T01:00:00Z"));
    private final RunningChecks running = new RunningChecks(name -> RunningChecks.bound(INTERVAL, REQUEST_TIMEOUT), clock);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpApi api;

    /** A check that does not come back until the test lets it: what a runaway match or a hung disk looks like from outside. */
    private final Check held = new Check() {
        @Override
        public String name() {
            return "held";
        }

        @Override
        public boolean needsRunningHa() {
            return false;
        }

        @Override
        public CheckOutcome run(HomeAssistant ha, CheckContext context) {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CheckOutcome.Completed.of(List.of());
        }
    };

    @AfterEach
    void stop() {
        release.countDown();
        if (api != null) {
            api.close();
        }
    }

    @Test
    void the_bound_is_the_longer_of_interval_and_request_timeout_plus_the_request_timeout() {
        assertThat(RunningChecks.bound(Duration.ofSeconds(60), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(90));
        assertThat(RunningChecks.bound(Duration.ofMinutes(5), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(330));
        assertThat(RunningChecks.bound(Duration.ofSeconds(5), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_check_held_past_its_bound_makes_health_fail_naming_it_and_health_recovers_when_it_ends() throws Exception {
        Diagnostics diagnostics = Diagnostics.builder(new FakeHomeAssistant(), new InMemoryDiagnosticStore(), new RecordingEventSink())
                .checks(held).clock(clock).build();
        AgentStatus status = AgentStatus.builder(diagnostics, new InMemoryDiagnosticStore(), clock)
                .wrapEachRun(running::observe).problems(running::problems).build();
        status.ready();
        api = HttpApi.builder(status, clock).build();
        api.start("127.0.0.1", 0);
        CompletableFuture<CheckReport> run = CompletableFuture.supplyAsync(() -> status.run("held"));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(89));
        assertThat(health().statusCode()).isEqualTo(200);
        assertThat(running.runningFor()).containsEntry("held", Duration.ofSeconds(89));

        clock.advance(Duration.ofSeconds(2));
        running.scan(); // logs it once; a second scan does not repeat the line
        running.scan();
        HttpResponse<String> failing = health();
        assertThat(failing.statusCode()).isEqualTo(503);
        JsonNode problem = new ObjectMapper().readTree(failing.body()).path("problems").path(0);
        assertThat(problem.path("component").asText()).isEqualTo("checks");
        assertThat(problem.path("reason").asText()).isEqualTo("check held has been running for 91 s (bound 90 s): stuck");

        release.countDown();
        run.get(10, TimeUnit.SECONDS);
        assertThat(running.runningFor()).isEmpty();
        assertThat(health().statusCode()).isEqualTo(200);
    }

    @Test
    void a_stop_waits_for_a_running_check_no_longer_than_its_grace_and_names_the_one_left_behind() throws Exception {
        CompletableFuture<CheckReport> run = CompletableFuture.supplyAsync(() -> running.observe("held", () -> {
            held.run(new FakeHomeAssistant(), null);
            return null;
        }));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(running.awaitIdle(Duration.ofMillis(200))).containsExactly("held");

        release.countDown();
        assertThat(running.awaitIdle(Duration.ofSeconds(10))).isEmpty();
        run.get(10, TimeUnit.SECONDS);
    }

    /** No scan every second: the log line of a run is armed for its bound, and disarmed when the run ends before it. */
    @Test
    void a_run_outliving_its_bound_is_logged_by_the_scan_armed_for_it_and_a_run_ending_in_time_leaves_nothing_armed() throws Exception {
        ScheduledThreadPoolExecutor scanner = new ScheduledThreadPoolExecutor(1);
        scanner.setRemoveOnCancelPolicy(true);
        try {
            RunningChecks armed = new RunningChecks("check ", name -> name.equals("held") ? Duration.ofMillis(50) : Duration.ofHours(1),
                    Clock.systemUTC(), scanner);
            assertThat(armed.observe("quick", () -> {
                assertThat(scanner.getQueue()).as("armed while it runs").hasSize(1);
                return "done";
            })).isEqualTo("done");
            assertThat(scanner.getQueue()).as("ended in time: disarmed").isEmpty();

            CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> armed.observe("held", () -> {
                held.run(new FakeHomeAssistant(), null);
                return null;
            }));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> armed.reportedStuck("held"));
            assertThat(armed.problems()).singleElement().satisfies(problem -> assertThat(problem.reason()).contains("check held", "stuck"));

            release.countDown();
            run.get(10, TimeUnit.SECONDS);
            assertThat(armed.reportedStuck("held")).isFalse();
            assertThat(scanner.getQueue()).isEmpty();
        } finally {
            scanner.shutdownNow();
        }
    }

    private HttpResponse<String> health() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
