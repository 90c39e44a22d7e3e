package dev.hadiag.http;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /silences} on a real Javalin server on an ephemeral loopback port, over an agent view backed by the in-memory store. */
class SilenceApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final MutableClock clock = new MutableClock(T0);
    private HttpApi api;

    private final AgentView view = new AgentView() {
        @Override
        public String version() {
            return "test";
        }

        @Override
        public String node() {
            return "node1";
        }

        @Override
        public List<CheckInfo> checks() {
            return List.of();
        }

        @Override
        public CheckReport trigger(String check) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, CheckReport> lastReports() {
            return Map.of();
        }

        @Override
        public List<OpenAlert> openAlerts() {
            return List.of();
        }

        @Override
        public boolean webSocketConnected() {
            return false;
        }

        @Override
        public Optional<Boolean> haReachable() {
            return Optional.empty();
        }

        @Override
        public String metrics() {
            return "";
        }

        @Override
        public List<Silence> silences() {
            return store.silences();
        }

        @Override
        public Silence addSilence(NewSilence silence) {
            return store.addSilence(silence);
        }

        @Override
        public Optional<Silence> expireSilence(long id) {
            return store.expireSilence(id, clock.instant());
        }
    };

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
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
    void a_posted_silence_is_listed_and_deleting_it_expires_it_now() throws Exception {
        api = HttpApi.builder(view, clock).build();
        api.start("127.0.0.1", 0);
        HttpResponse<String> created = send("POST", "/silences", """
                {"matchers": [{"field": "entity", "glob": "sensor.garage_*"}, {"field": "type", "glob": "ha_entity_*"}],
                 "duration": "2h", "comment": "new batteries", "created_by": "ken"}""");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode silence = json(created);
        long id = silence.get("id").asLong();
        assertThat(silence.get("ends_at").asText()).isEqualTo(T0.plus(Duration.ofHours(2)).toString());
        assertThat(silence.get("state").asText()).isEqualTo("active");
        assertThat(silence.get("matchers").get(0).get("glob").asText()).isEqualTo("sensor.garage_*");
        assertThat(silence.get("created_by").asText()).isEqualTo("ken");

        JsonNode listed = json(send("GET", "/silences", null));
        assertThat(listed.get("silences")).hasSize(1);
        assertThat(listed.get("silences").get(0).get("id").asLong()).isEqualTo(id);

        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> deleted = send("DELETE", "/silences/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("state").asText()).isEqualTo("expired");
        assertThat(json(deleted).get("expired_early").asBoolean()).isTrue();
        assertThat(store.silences().get(0).endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void ends_at_sets_the_end_and_a_number_is_seconds() throws Exception {
        api = HttpApi.builder(view, clock).build();
        api.start("127.0.0.1", 0);
        JsonNode until = json(send("POST", "/silences", "{\"matchers\": [{\"field\": \"hub\", \"glob\": \"Garage*\"}], \"ends_at\": \""
                + T0.plusSeconds(600) + "\"}"));
        assertThat(until.get("ends_at").asText()).isEqualTo(T0.plusSeconds(600).toString());
        JsonNode seconds = json(send("POST", "/silences", "{\"matchers\": [{\"field\": \"label\", \"glob\": \"garage\"}], \"duration\": 90}"));
        assertThat(seconds.get("ends_at").asText()).isEqualTo(T0.plusSeconds(90).toString());
    }

    static Stream<Arguments> badBodies() {
        String one = "[{\"field\": \"entity\", \"glob\": \"sensor.x\"}]";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"matchers\": [", "body: not valid JSON"),
                Arguments.of("not an object", "[1, 2]", "body: must be a JSON object"),
                Arguments.of("unknown top-level field", "{\"matchers\": " + one + ", \"duration\": \"1h\", \"until\": 5}", "until: unknown field"),
                Arguments.of("unknown matcher field", "{\"matchers\": [{\"field\": \"room\", \"glob\": \"x\"}], \"duration\": \"1h\"}",
                        "matchers: unknown field 'room'"),
                Arguments.of("empty glob", "{\"matchers\": [{\"field\": \"entity\", \"glob\": \"\"}], \"duration\": \"1h\"}",
                        "matchers: the glob of entity is empty"),
                Arguments.of("no matchers", "{\"matchers\": [], \"duration\": \"1h\"}", "matchers: at least one matcher"),
                Arguments.of("zero duration", "{\"matchers\": " + one + ", \"duration\": \"0s\"}", "duration: must be positive"),
                Arguments.of("negative duration", "{\"matchers\": " + one + ", \"duration\": -60}", "duration: must be positive"),
                Arguments.of("duration and ends_at", "{\"matchers\": " + one + ", \"duration\": \"1h\", \"ends_at\": \"2030-01-01T00:00:00Z\"}",
                        "not both"),
                Arguments.of("neither", "{\"matchers\": " + one + "}", "duration: a duration or ends_at is required"),
                Arguments.of("ends_at in the past", "{\"matchers\": " + one + ", \"ends_at\": \"2020-01-01T00:00:00Z\"}", "is in the past"),
                Arguments.of("ends_at not an instant", "{\"matchers\": " + one + ", \"ends_at\": \"tomorrow\"}", "ends_at: 'tomorrow' is not"),
                Arguments.of("comment too long", "{\"matchers\": " + one + ", \"duration\": \"1h\", \"comment\": \"" + "x".repeat(1001) + "\"}",
                        "comment: is longer than 1000"),
                Arguments.of("comment not a string", "{\"matchers\": " + one + ", \"duration\": \"1h\", \"comment\": 5}", "comment: must be a string"),
                Arguments.of("duplicate key", "{\"matchers\": " + one + ", \"duration\": \"1h\", \"duration\": \"2h\"}", "body: not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void bad_input_is_a_400_naming_the_field_and_stores_nothing(String what, String body, String message) throws Exception {
        api = HttpApi.builder(view, clock).build();
        api.start("127.0.0.1", 0);
        HttpResponse<String> response = send("POST", "/silences", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).contains(message);
        assertThat(store.silences()).isEmpty();
    }

    @Test
    void a_body_over_64_kib_is_a_413_in_json_and_stores_nothing() throws Exception {
        api = HttpApi.builder(view, clock).build();
        api.start("127.0.0.1", 0);
        String body = "{\"matchers\": [{\"field\": \"type\", \"glob\": \"*\"}], \"duration\": \"1h\", \"comment\": \""
                + "x".repeat(HttpApi.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> response = send("POST", "/silences", body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).contains("65536");
        assertThat(store.silences()).isEmpty();
    }

    @Test
    void with_an_api_token_creating_and_expiring_need_it_and_listing_does_not() throws Exception {
        api = HttpApi.builder(view, clock).apiToken("s3cret").build();
        api.start("127.0.0.1", 0);
        String body = "{\"matchers\": [{\"field\": \"type\", \"glob\": \"*\"}], \"duration\": \"1h\"}";
        assertThat(send("POST", "/silences", body).statusCode()).isEqualTo(401);
        HttpResponse<String> created = send("POST", "/silences", body, "Authorization", "Bearer s3cret");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        assertThat(send("DELETE", "/silences/" + id, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/silences", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/silences/" + id, null, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/silences", body, "Authorization", "Bearer wrong").body()).doesNotContain("s3cret");
    }

    @Test
    void deleting_an_unknown_silence_is_404_and_a_bad_id_is_400() throws Exception {
        api = HttpApi.builder(view, clock).build();
        api.start("127.0.0.1", 0);
        assertThat(send("DELETE", "/silences/42", null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = send("DELETE", "/silences/abc", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("not a silence id");
    }
}
