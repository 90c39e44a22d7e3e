package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hadiag.core.testing.States;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults a real HA cannot produce on demand, each ending in the right core exception within the timeout. */
class OkHttpHomeAssistantFaultTest {

    static final String TOKEN = "secret-token-that-must-never-show-0123456789";
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final Duration GUARD = Duration.ofSeconds(15);

    MockWebServer server;
    OkHttpHomeAssistant client;
    Set<Thread> threadsBefore;

    @BeforeEach
    void start() throws IOException {
        threadsBefore = Thread.getAllStackTraces().keySet();
        server = new MockWebServer();
        server.start(0);
        client = new OkHttpHomeAssistant(new HaClientSettings(server.url("/").toString(), new AccessToken(TOKEN), TIMEOUT, TIMEOUT));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void http_401_is_unauthorized_and_the_message_holds_no_token() throws InterruptedException {
        server.enqueue(new MockResponse.Builder().code(401).body("401: Unauthorized").build());
        assertThatThrownBy(client::ping).isInstanceOf(HaUnauthorizedException.class)
                .hasMessageContaining("HTTP 401").hasMessageNotContaining(TOKEN);
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void a_home_assistant_on_this_machine_is_asked_for_uncompressed_answers() throws InterruptedException {
        server.enqueue(json("[]"));
        client.forEachState(state -> { });
        assertThat(server.takeRequest().getHeaders().get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void only_a_loopback_address_or_localhost_counts_as_this_machine() {
        assertThat(java.util.List.of("127.0.0.1", "127.1.2.3", "::1", "localhost")).allMatch(OkHttpHomeAssistant::isLoopback);
        assertThat(java.util.List.of("homeassistant.local", "192.168.1.5", "127.example.com", "10.0.0.127", "::2"))
                .noneMatch(OkHttpHomeAssistant::isLoopback);
    }

    @Test
    void http_500_is_unreachable() {
        server.enqueue(new MockResponse.Builder().code(500).body("500 Internal Server Error").build());
        assertThatThrownBy(client::config).isInstanceOf(HaUnreachableException.class).hasMessageContaining("HTTP 500");
    }

    @Test
    void http_404_is_a_protocol_error() {
        server.enqueue(new MockResponse.Builder().code(404).body("404: Not Found").build());
        assertThatThrownBy(client::configEntries).isInstanceOf(HaProtocolException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void malformed_json_is_a_protocol_error() {
        server.enqueue(json("{\"state\": RUNNING}"));
        assertThatThrownBy(client::config).isInstanceOf(HaProtocolException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void a_truncated_body_is_a_protocol_error() {
        server.enqueue(new MockResponse.Builder().code(200)
                .body(new Buffer().writeUtf8("[{\"entity_id\": \"sensor.a\", \"state\": \"on\", \"attr"))
                .addHeader("Content-Length", "5000")
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build());
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> client.forEachState(s -> { }))
                .isInstanceOf(HaProtocolException.class));
    }

    @Test
    void a_get_on_a_pooled_connection_the_server_has_closed_is_retried_on_a_fresh_one() {
        // Issue 24: HA (aiohttp) closes a keep-alive connection idle for 75 s; the request after it must not fail.
        server.enqueue(new MockResponse.Builder().code(200).body("{\"message\": \"API running.\"}")
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json("{\"message\": \"API running.\"}"));
        client.ping();
        client.ping();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_server_that_accepts_and_never_answers_is_unreachable_after_the_timeout() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(client::ping).isInstanceOf(HaUnreachableException.class)
                .hasMessageContaining("unreachable"));
    }

    @Test
    void a_missing_field_is_a_protocol_error_naming_it_not_a_null_pointer() {
        server.enqueue(json("[{\"entity_id\": \"sensor.a\", \"state\": \"on\", \"attributes\": {}, \"last_updated\": \"2026-01-01T00:00:00+00:00\"}]"));
        assertThatThrownBy(() -> client.forEachState(s -> { })).isInstanceOf(HaProtocolException.class)
                .hasMessageContaining("/api/states[0]").hasMessageContaining("'last_changed'");
        server.enqueue(json("{\"version\": \"2026.11.0\"}"));
        assertThatThrownBy(client::config).isInstanceOf(HaProtocolException.class).hasMessageContaining("'state'");
    }

    @Test
    void unknown_fields_and_states_of_a_future_ha_are_accepted() {
        server.enqueue(json("{\"state\": \"WARPING\", \"version\": \"2031.1.0\", \"new_thing\": {\"x\": 1}, \"components\": [\"a\"]}"));
        assertThat(client.config().state()).isEqualTo(dev.hadiag.core.ha.CoreState.UNKNOWN);
        server.enqueue(json("[{\"entry_id\": \"e1\", \"domain\": \"zha\", \"state\": \"quantum_state\", \"reason\": null,"
                + " \"created_at\": 1.7e9, \"supported_subentry_types\": {}, \"num_subentries\": 0}]"));
        assertThat(client.configEntries()).singleElement()
                .satisfies(e -> assertThat(e.rawState()).isEqualTo("quantum_state"));
    }

    @Test
    void a_20_megabyte_states_payload_streams_through() {
        StringBuilder body = new StringBuilder(21 * 1024 * 1024).append('[');
        int count = 0;
        while (body.length() < 20 * 1024 * 1024) {
            if (count > 0) {
                body.append(',');
            }
            body.append("{\"entity_id\":\"sensor.s").append(count++).append("\",\"state\":\"unavailable\",\"attributes\":{\"restored\":true,")
                    .append("\"friendly_name\":\"Sensor with a reasonably long friendly name ").append(count).append("\",\"unit_of_measurement\":\"W\"},")
                    .append("\"last_changed\":\"2026-01-01T00:00:00.000000+00:00\",\"last_reported\":\"2026-01-01T00:00:00.000000+00:00\",")
                    .append("\"last_updated\":\"2026-01-01T00:00:00.000000+00:00\",\"context\":{\"id\":\"01J\",\"parent_id\":null,\"user_id\":null}}");
        }
        body.append(']');
        server.enqueue(json(body.toString()));
        OkHttpHomeAssistant patient = new OkHttpHomeAssistant(new HaClientSettings(server.url("/").toString(), new AccessToken(TOKEN)));
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger restored = new AtomicInteger();
        try {
            patient.forEachState(state -> {
                seen.incrementAndGet();
                if (state.isRestoredPlaceholder()) {
                    restored.incrementAndGet();
                }
            });
        } finally {
            patient.close();
        }
        assertThat(seen.get()).isEqualTo(count).isGreaterThan(40_000);
        assertThat(restored.get()).isEqualTo(count);
    }

    // --- WebSocket faults -------------------------------------------------------------------------

    /** A fake HA WebSocket endpoint: authenticates like HA, then lets the test decide how to answer commands. */
    private void enqueueWebSocket(Consumer<WebSocketCommand> onCommand) {
        server.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send("{\"type\":\"auth_required\",\"ha_version\":\"2031.1.0\"}");
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                if (text.contains("\"type\":\"auth\"")) {
                    webSocket.send(text.contains(TOKEN) ? "{\"type\":\"auth_ok\",\"ha_version\":\"2031.1.0\"}"
                            : "{\"type\":\"auth_invalid\",\"message\":\"Invalid access token or password\"}");
                } else if (!text.contains("supported_features")) {
                    long id = Long.parseLong(text.replaceAll(".*\"id\":(\\d+).*", "$1"));
                    onCommand.accept(new WebSocketCommand(webSocket, id, text));
                } else {
                    long id = Long.parseLong(text.replaceAll(".*\"id\":(\\d+).*", "$1"));
                    webSocket.send("{\"id\":" + id + ",\"type\":\"result\",\"success\":true,\"result\":null}");
                }
            }
        }).build());
    }

    record WebSocketCommand(WebSocket socket, long id, String text) {
    }

    @Test
    void coalesced_array_frames_and_unknown_fields_are_understood() {
        enqueueWebSocket(c -> c.socket().send("[{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":"
                + "{\"backlog\":12,\"max_backlog\":40000,\"recording\":true,\"thread_running\":true,\"db_in_default_location\":true}},"
                + "{\"id\":999,\"type\":\"event\",\"event\":{}}]"));
        assertThat(client.recorderInfo().backlog()).hasValue(12);
    }

    @Test
    void a_registry_is_mapped_entry_by_entry_even_inside_a_coalesced_frame_and_fields_in_any_order() {
        enqueueWebSocket(c -> c.socket().send(c.text().contains("entity_registry")
                ? "[{\"id\":999,\"type\":\"event\",\"event\":{}},{\"id\":" + c.id()
                        + ",\"type\":\"result\",\"success\":true,\"result\":[{\"entity_id\":\"sensor.a\",\"platform\":\"zha\","
                        + "\"config_entry_id\":\"e1\",\"labels\":[\"x\"],\"unknown\":{\"nested\":[1,2]}},"
                        + "{\"entity_id\":\"sensor.b\",\"disabled_by\":\"user\"}]}]"
                // "result" before "id": it cannot be mapped while read, the tree path maps it the same way
                : "{\"result\":[{\"id\":\"d1\",\"name\":\"Plug\",\"config_entries\":[\"e1\"]}],"
                        + "\"type\":\"result\",\"success\":true,\"id\":" + c.id() + "}"));
        assertThat(client.fullEntityRegistry()).extracting(e -> e.entityId() + "/" + e.configEntryId() + "/" + e.isDisabled())
                .containsExactly("sensor.a/e1/false", "sensor.b//true");
        assertThat(client.deviceRegistry()).singleElement().satisfies(d -> assertThat(d.displayName()).isEqualTo("Plug"));
    }

    @Test
    void the_compact_registry_takes_config_entries_from_devices_and_asks_ha_for_the_entities_a_device_cannot_tell() {
        List<String> commands = new CopyOnWriteArrayList<>();
        enqueueWebSocket(c -> {
            commands.add(c.text().replaceAll(".*\"type\":\"([^\"]+)\".*", "$1"));
            String result;
            if (c.text().contains("list_for_display")) {
                // a coalesced frame; the array is not the result's first field, and fields HA may add are skipped
                result = "{\"entity_categories\":{\"0\":\"config\"},\"entities\":["
                        + "{\"ei\":\"sensor.on_device\",\"pl\":\"zha\",\"di\":\"d1\",\"lb\":[\"garden\"],\"en\":\"T\",\"tk\":\"x\"},"
                        + "{\"ei\":\"sensor.no_device\",\"pl\":\"zha\"},"
                        + "{\"ei\":\"sensor.yaml_template\",\"pl\":\"template\"},"
                        + "{\"ei\":\"sensor.shared_device\",\"pl\":\"zha\",\"di\":\"d2\"},"
                        + "{\"ei\":\"sensor.removed_meanwhile\",\"pl\":\"zha\"}],\"more\":[1]}";
            } else if (c.text().contains("device_registry")) {
                result = "[{\"id\":\"d1\",\"config_entries\":[\"e1\",\"other\"]},{\"id\":\"d2\",\"config_entries\":[\"e1\",\"e2\"]}]";
            } else {
                assertThat(c.text()).contains("\"entity_ids\":[\"sensor.no_device\",\"sensor.shared_device\",\"sensor.removed_meanwhile\"]");
                result = "{\"sensor.no_device\":{\"entity_id\":\"sensor.no_device\",\"platform\":\"zha\",\"config_entry_id\":null},"
                        + "\"sensor.shared_device\":{\"entity_id\":\"sensor.shared_device\",\"platform\":\"zha\",\"device_id\":\"d2\","
                        + "\"config_entry_id\":\"e2\"},\"sensor.removed_meanwhile\":null}";
            }
            c.socket().send("[{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":" + result + "}]");
        });
        server.enqueue(json("[{\"entry_id\":\"e1\",\"domain\":\"zha\"},{\"entry_id\":\"e2\",\"domain\":\"zha\"},"
                + "{\"entry_id\":\"other\",\"domain\":\"mqtt\"}]"));

        assertThat(client.registries().entities()).extracting(e -> e.entityId() + "/" + e.configEntryId() + "/" + e.deviceId() + "/" + e.labels())
                .containsExactlyInAnyOrder("sensor.on_device/e1/d1/[garden]", "sensor.no_device///[]",
                        "sensor.yaml_template///[]", "sensor.shared_device/e2/d2/[]");
        // One call reads each list once, in one order: nothing is kept from a call before it (issue 25).
        assertThat(commands).containsExactly("config/device_registry/list", "config/entity_registry/list_for_display",
                "config/entity_registry/get_entries");
    }

    @Test
    void an_ha_without_the_compact_registry_is_read_the_full_list_from_then_on() {
        List<String> commands = new CopyOnWriteArrayList<>();
        enqueueWebSocket(c -> {
            commands.add(c.text().replaceAll(".*\"type\":\"([^\"]+)\".*", "$1"));
            c.socket().send(c.text().contains("list_for_display")
                    ? "{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":false,"
                            + "\"error\":{\"code\":\"unknown_command\",\"message\":\"Unknown command.\"}}"
                    : c.text().contains("device_registry")
                    ? "{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":[]}"
                    : "{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":"
                            + "[{\"entity_id\":\"sensor.a\",\"platform\":\"zha\",\"config_entry_id\":\"e1\"}]}");
        });
        server.enqueue(json("[{\"entry_id\":\"e1\",\"domain\":\"zha\"}]"));
        server.enqueue(json("[{\"entry_id\":\"e1\",\"domain\":\"zha\"}]"));
        assertThat(client.registries().entities()).extracting(e -> e.entityId() + "/" + e.configEntryId()).containsExactly("sensor.a/e1");
        assertThat(client.registries().entities()).hasSize(1);
        assertThat(commands).containsExactly("config/device_registry/list", "config/entity_registry/list_for_display",
                "config/entity_registry/list", "config/device_registry/list", "config/entity_registry/list");
    }

    @Test
    void a_compact_registry_without_its_entities_array_is_a_protocol_error() {
        enqueueWebSocket(c -> c.socket().send("{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,"
                + (c.text().contains("device_registry") ? "\"result\":[]}" : "\"result\":{\"entity_categories\":{}}}")));
        server.enqueue(json("[]"));
        assertThatThrownBy(client::registries).isInstanceOf(HaProtocolException.class)
                .hasMessageContaining("list_for_display").hasMessageContaining("entities");
    }

    @Test
    void a_registry_entry_without_its_id_names_the_entry_and_the_session_stays_usable() {
        enqueueWebSocket(c -> c.socket().send(c.text().contains("entity_registry")
                ? "{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":[{\"entity_id\":\"sensor.a\"},"
                        + "{\"platform\":\"zha\"},{\"entity_id\":\"sensor.c\"}]}"
                : "{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":[]}"));
        assertThatThrownBy(client::fullEntityRegistry).isInstanceOf(HaProtocolException.class)
                .hasMessageContaining("config/entity_registry/list[1]").hasMessageContaining("entity_id");
        assertThat(client.deviceRegistry()).isEmpty();
    }

    @Test
    void a_websocket_closed_while_a_command_waits_is_unreachable() {
        enqueueWebSocket(c -> c.socket().cancel());
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(client::deviceRegistry).isInstanceOf(HaUnreachableException.class));
    }

    @Test
    void a_websocket_that_never_answers_a_command_times_out_as_unreachable() {
        enqueueWebSocket(c -> { });
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(client::deviceRegistry).isInstanceOf(HaUnreachableException.class)
                .hasMessageContaining("no answer within"));
    }

    @Test
    void a_malformed_websocket_frame_is_a_protocol_error() {
        enqueueWebSocket(c -> c.socket().send("{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":tru"));
        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(client::repairIssues).isInstanceOf(HaProtocolException.class)
                .hasMessageContaining("malformed frame"));
    }

    @Test
    void a_failed_command_is_a_protocol_error_with_has_code() {
        enqueueWebSocket(c -> c.socket().send("{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":false,"
                + "\"error\":{\"code\":\"unknown_command\",\"message\":\"Unknown command.\"}}"));
        assertThatThrownBy(client::recorderInfo).isInstanceOf(HaProtocolException.class).hasMessageContaining("unknown_command");
    }

    @Test
    void auth_invalid_is_unauthorized_without_the_token_in_the_message() {
        OkHttpHomeAssistant rejected = new OkHttpHomeAssistant(new HaClientSettings(server.url("/").toString(),
                new AccessToken("wrong-token-abcdef"), TIMEOUT, TIMEOUT));
        enqueueWebSocket(c -> { });
        try {
            assertThatThrownBy(rejected::deviceRegistry).isInstanceOf(HaUnauthorizedException.class)
                    .hasMessageContaining("Invalid access token").hasMessageNotContaining("wrong-token-abcdef");
        } finally {
            rejected.close();
        }
    }

    @Test
    void closing_the_client_leaves_no_threads_behind() {
        enqueueWebSocket(c -> c.socket().send("{\"id\":" + c.id() + ",\"type\":\"result\",\"success\":true,\"result\":[]}"));
        assertThat(client.deviceRegistry()).isEmpty();
        server.enqueue(json("{\"message\": \"API running.\"}"));
        client.ping();
        client.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newOkHttpThreads()).isEmpty());
    }

    private Set<String> newOkHttpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !threadsBefore.contains(t))
                .map(Thread::getName)
                .filter(n -> n.startsWith("OkHttp") && !n.contains("TaskRunner") && !n.contains("MockWebServer"))
                .collect(Collectors.toSet());
    }

    @Test
    void states_are_handed_over_as_parsed() {
        server.enqueue(json("[{\"entity_id\":\"sensor.a\",\"state\":\"unavailable\",\"attributes\":{\"restored\":true},"
                + "\"last_changed\":\"2026-01-01T00:00:00+00:00\",\"last_updated\":\"2026-01-01T00:00:00+00:00\"},"
                + "{\"entity_id\":\"sensor.b\",\"state\":\"on\",\"attributes\":{\"friendly_name\":\"B\"},"
                + "\"last_changed\":\"2026-01-01T00:00:00+00:00\",\"last_updated\":\"2026-01-01T00:00:00+00:00\"}]"));
        assertThat(States.of(client)).extracting(EntityState::entityId, EntityState::isUnavailable, EntityState::friendlyName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sensor.a", true, "sensor.a"),
                        org.assertj.core.groups.Tuple.tuple("sensor.b", false, "B"));
    }
}
