package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hadiag.app.agent.AgentProcess;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.FileSystemEventSink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ha-diag relay} as a separate process against a real mosquitto and a real subscriber, and against a webhook
 * receiver on loopback: every event arrives, in order within each alert key, through a broker restart and a
 * {@code kill -9} of the relay; the retained alert topics end up as exactly the open alerts.
 */
class RelayJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.now().minusSeconds(3600);

    @TempDir
    Path dir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private Path events;
    private FileSystemEventSink sink;
    private int written;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private void prepareTree() {
        events = dir.resolve("events");
        sink = FileSystemEventSink.open(events);
    }

    /** Batch n writes 10 alert keys: opened, and (odd keys) resolved; plus one event without an alert key. */
    private void writeBatch(int batch) {
        for (int key = 0; key < 10; key++) {
            String alertKey = "ha_entity_unavailable_long:entity:sensor.b" + batch + "_" + key;
            String correlation = "c-" + batch + "-" + key;
            emit("ha_entity_unavailable_long", Severity.WARNING, correlation, Map.of("alert_key", alertKey, "summary", "sensor down"));
            if (key % 2 == 1) {
                emit("ha_entity_recovered", Severity.INFO, correlation, Map.of("alert_key", alertKey, "summary", "sensor back"));
            }
        }
        emit("deployment_started", Severity.INFO, "d-" + batch, Map.of("version", String.valueOf(batch)));
    }

    private void emit(String type, Severity severity, String correlation, Map<String, Object> payload) {
        // One millisecond apart: the file names (and so the order) follow the order of writing.
        sink.emit(Event.of(START.plusMillis(written++), "agent-node", type, severity, "ha-diag-agent", "homeassistant", correlation, payload));
    }

    /** A file in the seed's shell format, by another tool on another node, with a field the model does not know. */
    private void writeSeedFormatFile() throws Exception {
        Instant at = START.plusMillis(written++);
        String day = at.toString().substring(0, 10);
        String stamp = at.toString().replace("-", "").replace(":", "").replaceAll("\\.(\\d{3})\\d*Z", ".$1Z");
        if (!stamp.contains(".")) {
            stamp = stamp.replace("Z", ".000Z");
        }
        Path node = Files.createDirectories(events.resolve(day).resolve("otherhost"));
        Files.writeString(node.resolve(stamp + "_service_unhealthy_" + UUID.randomUUID() + ".json"), """
                {"timestamp": "%s", "node": "otherhost", "type": "service_unhealthy", "severity": "error",
                 "source": "check-mosquitto.sh", "service": "mosquitto", "correlation_id": "seed-1",
                 "payload": {"alert_key": "mosquitto:down", "reason": "port closed"}, "extra_field": 1}
                """.formatted(at.toString().replaceAll("\\.(\\d{3})\\d*Z", ".$1Z")));
        Path garbage = node.resolve(stamp + "_junk_" + UUID.randomUUID() + ".json");
        Files.writeString(garbage, "not json at all");
        Files.setLastModifiedTime(garbage, FileTime.from(Instant.now().minusSeconds(120)));
    }

    /** The event files of the tree in relay order, as (uuid, alert key or "", type). */
    private List<String[]> filesInOrder() throws Exception {
        List<EventFile> files = new ArrayList<>();
        EventTree tree = new EventTree(events);
        for (String day : tree.days()) {
            files.addAll(tree.files(day));
        }
        List<String[]> result = new ArrayList<>();
        for (EventFile file : files) {
            JsonNode json;
            try {
                json = JSON.readTree(Files.readString(file.path()));
            } catch (Exception notJson) {
                continue;
            }
            result.add(new String[] {file.eventId().orElseThrow(), json.path("payload").path("alert_key").asText(""), json.path("type").asText()});
        }
        return result;
    }

    private AgentProcess relay(String... options) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("NODE_NAME", "relay-it");
        List<String> args = new ArrayList<>(List.of("relay", "--events-dir", events.toString(), "--state", dir.resolve("relay.db").toString()));
        args.addAll(List.of(options));
        AgentProcess relay = AgentProcess.start(dir, List.of(), env, args.toArray(String[]::new));
        running.add(relay);
        return relay;
    }

    @Test
    void every_event_arrives_in_order_per_alert_key_through_a_broker_restart_and_a_relay_crash() throws Exception {
        prepareTree();
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        MqttRecorder recorder = new MqttRecorder(broker.port, "homelab/events/#", true);
        running.add(recorder);
        String url = "mqtt://127.0.0.1:" + broker.port;

        writeBatch(0);
        writeSeedFormatFile();
        // And one by the CLI, as a deploy script would write it.
        try (AgentProcess emit = AgentProcess.start(dir, List.of(), Map.of("NODE_NAME", "cli-node"), "events", "emit", "--events-dir",
                events.toString(), "--type", "service_unhealthy", "--severity", "warning", "--source", "deploy.sh", "--service", "zigbee2mqtt",
                "--correlation-id", "deploy-1", "--payload", "{\"alert_key\": \"z2m:down\"}")) {
            assertThat(emit.waitFor()).as("events emit").isZero();
        }
        AgentProcess relay = relay("--mqtt-url", url);
        await().atMost(Duration.ofSeconds(60)).until(() -> distinctIds(recorder).size() == filesInOrder().size());
        assertThat(relay.stderr()).contains("skipping").contains("not an event");

        broker.stop(); // the broker goes away; events keep being written
        writeBatch(1);
        broker.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> distinctIds(recorder).size() == filesInOrder().size());

        writeBatch(2);
        writeBatch(3);
        relay.kill(); // a crash, at whatever point of batch 2-3 it had reached
        writeBatch(4);
        relay = relay("--mqtt-url", url);
        await().atMost(Duration.ofSeconds(90)).until(() -> distinctIds(recorder).size() == filesInOrder().size());

        List<String[]> files = filesInOrder();
        assertThat(distinctIds(recorder)).containsExactlyInAnyOrderElementsOf(files.stream().map(f -> f[0]).toList());
        // Within each alert key, first arrivals follow the order of the files.
        Map<String, List<String>> expected = new LinkedHashMap<>();
        files.stream().filter(f -> !f[1].isEmpty()).forEach(f -> expected.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[0]));
        Map<String, String> keyOf = new HashMap<>();
        files.forEach(f -> keyOf.put(f[0], f[1]));
        Map<String, List<String>> arrived = new LinkedHashMap<>();
        for (String id : distinctIds(recorder)) {
            if (!keyOf.get(id).isEmpty()) {
                arrived.computeIfAbsent(keyOf.get(id), k -> new ArrayList<>()).add(id);
            }
        }
        assertThat(arrived).isEqualTo(expected);
        // The payload is the file, unchanged: the seed-format file keeps its extra field.
        assertThat(recorder.messages()).anySatisfy(m -> assertThat(m.topic()).isEqualTo("homelab/events/otherhost/service_unhealthy"))
                .anySatisfy(m -> assertThat(m.topic()).isEqualTo("homelab/events/cli-node/service_unhealthy"))
                .anySatisfy(m -> assertThat(m.payload()).contains("\"extra_field\": 1"));

        // A subscriber that connects now sees exactly the open alerts, as retained messages.
        Set<String> open = new LinkedHashSet<>();
        for (String[] file : files) {
            if (file[1].isEmpty()) {
                continue;
            }
            if (file[2].equals("ha_entity_recovered")) {
                open.remove(file[1]);
            } else {
                open.add(file[1]);
            }
        }
        MqttRecorder late = new MqttRecorder(broker.port, "homelab/alerts/#", false);
        running.add(late);
        await().atMost(Duration.ofSeconds(30)).until(() -> late.messages().size() >= open.size());
        assertThat(late.messages()).allSatisfy(m -> assertThat(m.retained()).isTrue());
        assertThat(late.messages().stream().map(m -> m.topic().substring(m.topic().lastIndexOf('/') + 1)).toList())
                .containsExactlyInAnyOrderElementsOf(open);
        assertThat(relay.terminate()).isZero();
    }

    @Test
    void the_agents_status_topic_says_online_and_the_last_will_says_offline_after_a_crash() throws Exception {
        prepareTree();
        writeBatch(0);
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort());
        running.add(broker);
        AgentProcess relay = relay("--mqtt-url", "mqtt://127.0.0.1:" + broker.port);
        MqttRecorder status = new MqttRecorder(broker.port, "homelab/agents/relay-it/status", false);
        running.add(status);
        await().atMost(Duration.ofSeconds(60)).until(() -> status.messages().stream().anyMatch(m -> m.payload().equals("online")));
        relay.kill();
        // The broker publishes the will when the keep-alive (30 s) runs out or the TCP connection drops: here the latter.
        await().atMost(Duration.ofSeconds(90)).until(() -> !status.messages().isEmpty()
                && status.messages().get(status.messages().size() - 1).payload().equals("offline"));
    }

    @Test
    void a_webhook_receiver_that_was_down_gets_every_alert_event_in_order_in_ntfy_format() throws Exception {
        prepareTree();
        writeBatch(0);
        int port = AgentProcess.freePort();
        AgentProcess relay = relay("--webhook-url", "http://127.0.0.1:" + port + "/ha", "--webhook-format", "ntfy");
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.stderr().contains("cannot reach"));

        List<String> received = new ArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        receiver.createContext("/ha", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(exchange.getRequestHeaders().getFirst("X-Event-Id") + "|" + exchange.getRequestHeaders().getFirst("Title")
                        + "|" + exchange.getRequestHeaders().getFirst("Priority") + "|" + exchange.getRequestHeaders().getFirst("Tags") + "|" + body);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        running.add(() -> receiver.stop(0));

        List<String[]> alertFiles = filesInOrder().stream().filter(f -> !f[1].isEmpty()).toList();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            synchronized (received) {
                return received.size() >= alertFiles.size();
            }
        });
        synchronized (received) {
            assertThat(received.stream().map(r -> r.substring(0, r.indexOf('|'))).toList())
                    .containsExactlyElementsOf(alertFiles.stream().map(f -> f[0]).toList());
            assertThat(received.get(0)).contains("|ha_entity_unavailable_long on agent-node|3|rotating_light|sensor down");
            assertThat(received).anySatisfy(r -> assertThat(r).contains("|Resolved: ha_entity_recovered on agent-node|2|white_check_mark|"));
        }
        assertThat(relay.terminate()).isZero();
    }

    @Test
    void over_tls_with_a_username_and_password_the_events_arrive_and_the_password_is_never_printed() throws Exception {
        prepareTree();
        writeBatch(0);
        Path tls = Files.createDirectories(dir.resolve("tls"));
        run(tls, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=relay-it-ca");
        run(tls, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(tls.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(tls, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt",
                "-days", "1", "-extfile", "san.ext");
        run(tls, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt", "-alias", "ca",
                "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        run(tls, "mosquitto_passwd", "-c", "-b", "passwords", "relay", "s3cret-mqtt-pass");
        // mosquitto drops to the user that started it; the test may run as root, so every file must be readable.
        try (var files = Files.list(tls)) {
            for (Path file : files.toList()) {
                file.toFile().setReadable(true, false);
            }
        }
        MosquittoBroker broker = MosquittoBroker.start(dir, AgentProcess.freePort(), """
                allow_anonymous false
                password_file %s
                cafile %s
                certfile %s
                keyfile %s
                """.formatted(tls.resolve("passwords"), tls.resolve("ca.crt"), tls.resolve("server.crt"), tls.resolve("server.key")));
        running.add(broker);

        Map<String, String> env = new HashMap<>();
        env.put("NODE_NAME", "relay-it");
        env.put("HA_DIAG_MQTT_USERNAME", "relay");
        env.put("HA_DIAG_MQTT_PASSWORD", "s3cret-mqtt-pass");
        AgentProcess relay = AgentProcess.start(dir, List.of("-Djavax.net.ssl.trustStore=" + tls.resolve("trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=changeit"), env, "relay", "--once", "--events-dir", events.toString(), "--state",
                dir.resolve("relay.db").toString(), "--mqtt-url", "mqtts://127.0.0.1:" + broker.port);
        running.add(relay);
        assertThat(relay.waitFor()).as(relay.stderr()).isZero();
        assertThat(relay.stdout()).contains("delivered " + filesInOrder().size() + " events");
        assertThat(relay.stdout() + relay.stderr()).doesNotContain("s3cret-mqtt-pass");

        // The wrong password is refused by the broker: --once says so and exits 1, the events stay for the next run.
        env.put("HA_DIAG_MQTT_PASSWORD", "wrong-pass");
        writeBatch(1);
        AgentProcess refused = AgentProcess.start(dir, List.of("-Djavax.net.ssl.trustStore=" + tls.resolve("trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=changeit"), env, "relay", "--once", "--events-dir", events.toString(), "--state",
                dir.resolve("relay.db").toString(), "--mqtt-url", "mqtts://127.0.0.1:" + broker.port);
        running.add(refused);
        assertThat(refused.waitFor()).isEqualTo(1);
        assertThat(refused.stderr()).contains("cannot connect").doesNotContain("wrong-pass");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static List<String> distinctIds(MqttRecorder recorder) {
        return new ArrayList<>(new LinkedHashSet<>(recorder.messages().stream().map(MqttRecorder.Message::eventId).toList()));
    }

}
