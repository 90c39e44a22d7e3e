package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.agent.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha-diag notify test}, relay.md's line as a process, against a real mosquitto and an ntfy stand-in on loopback:
 * each destination's answer is printed, a refusing one makes the exit 1, and nothing is written to the events tree.
 */
class NotifyTestJarIT {

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private MqttRecorder recorder;
    private final MockWebServer ntfy = new MockWebServer();
    private int code;

    @AfterEach
    void stop() throws Exception {
        if (recorder != null) {
            recorder.close();
        }
        if (broker != null) {
            broker.close();
        }
        ntfy.close();
    }

    private AgentProcess notifyTest(String webhookUrl) throws Exception {
        Path config = Files.writeString(dir.resolve("ha-diag-agent.yaml"), """
                node_name: piha
                events_dir: %s
                mqtt: { url: "mqtt://127.0.0.1:%d" }
                notify: { webhook: { url: "%s", format: ntfy } }
                """.formatted(dir.resolve("events"), broker.port, webhookUrl));
        String line = Files.readString(Path.of("..", "docs", "relay.md")).split("<!-- tested: notify-test -->\\s*```sh\\n", 2)[1].split("\n", 2)[0];
        assertThat(line).isEqualTo("ha-diag notify test");
        List<String> args = List.of(line.substring("ha-diag ".length()).split(" "));
        AgentProcess process = AgentProcess.start(dir, List.of(), Map.of("HA_DIAG_CONFIG", config.toString()), args.toArray(String[]::new));
        code = process.waitFor();
        return process;
    }

    @Test
    void every_destination_gets_the_test_event_and_says_what_it_answered() throws Exception {
        broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        recorder = new MqttRecorder(broker.port, "homelab/events/#", false);
        ntfy.enqueue(new MockResponse.Builder().code(200).build());
        ntfy.start(0);

        AgentProcess run = notifyTest(ntfy.url("/homelab-alerts").toString());
        assertThat(code).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("ok     mqtt 127.0.0.1:" + broker.port + " homelab: published to homelab/events/piha/ha_diag_notify_test",
                "ok     webhook http://", ": answered 200", "notify test: 2 of 2 destinations took the test event");
        await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.messages().isEmpty());
        assertThat(recorder.messages()).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("homelab/events/piha/ha_diag_notify_test");
            assertThat(m.retained()).isFalse();
            assertThat(m.payload()).contains("ha-diag notify test from piha");
        });
        RecordedRequest push = ntfy.takeRequest(10, TimeUnit.SECONDS);
        assertThat(push.getHeaders().get("Title")).isEqualTo("ha_diag_notify_test on piha");
        assertThat(push.getBody().utf8()).startsWith("ha-diag notify test from piha");
        assertThat(dir.resolve("events")).doesNotExist();
    }

    @Test
    void a_refusing_webhook_is_named_with_its_answer_and_the_exit_is_1_while_mqtt_still_gets_it() throws Exception {
        broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        recorder = new MqttRecorder(broker.port, "homelab/events/#", false);
        ntfy.enqueue(new MockResponse.Builder().code(403).build());
        ntfy.start(0);

        AgentProcess run = notifyTest(ntfy.url("/secret-topic").toString());
        assertThat(code).as(run.stdout() + run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).contains("ok     mqtt", "FAILED webhook http://", "answered 403", "notify test: 1 of 2 destinations took the test event")
                .doesNotContain("secret-topic");
        await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.messages().isEmpty());
    }
}
