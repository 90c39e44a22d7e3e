package dev.hadiag.app.agent;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.diagnostics.SilenceGate;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.RecordingEventSink;
import dev.hadiag.http.HttpApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /alerts} with what each alert says and whether it is silenced or acknowledged, and
 * {@code POST /alerts/{correlation_id}/acknowledge}, on a real Javalin server over a real Diagnostics.
 */
class AlertsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final EntityState UPDATE_ON = new EntityState("update.fw", "on",
            Map.of("installed_version", "1.0", "latest_version", "1.1", "friendly_name", "Router firmware"), T0, T0);

    private final FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(new HaSnapshot(List.of(UPDATE_ON), List.of(), List.of(), List.of()));
    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final RecordingEventSink sink = new RecordingEventSink();
    private final MutableClock clock = new MutableClock(T0);
    private final AlertEvents events = new AlertEvents("node1", "lab", "http://ha:8123");
    private final Diagnostics diagnostics = Diagnostics.builder(ha, store, sink)
            .checks(new UpdatesAvailableCheck(IgnoreRules.NONE))
            .alerts(new AlertLifecycle.Settings(Duration.ofMinutes(10), type -> Duration.ZERO))
            .silences(new SilenceGate(store, events, ha, SilenceGate.Settings.NO_MAINTENANCE))
            .events(events).clock(clock).build();
    private final AgentStatus view = AgentStatus.builder(diagnostics, store, clock).events(sink.asLog()).build();
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void start(Optional<String> token) {
        view.ready();
        api = HttpApi.builder(view, clock).apiToken(token.orElse("")).build();
        api.start("127.0.0.1", 0);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode onlyAlert() throws Exception {
        JsonNode alerts = JSON.readTree(send("GET", "/alerts").body()).get("alerts");
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    @Test
    void alerts_carry_severity_summary_since_and_details_as_their_event_said_them() throws Exception {
        start(Optional.empty());
        diagnostics.run("updates_available");

        JsonNode alert = onlyAlert();
        assertThat(alert.get("alert_key").asText()).isEqualTo("ha_update_available:update:update.fw");
        assertThat(alert.get("severity").asText()).isEqualTo("info");
        assertThat(alert.get("summary").asText()).isEqualTo("Router firmware: 1.0 → 1.1");
        assertThat(alert.get("since").asText()).isEqualTo(T0.toString());
        assertThat(alert.get("details").get("latest_version").asText()).isEqualTo("1.1");
        assertThat(alert.get("silenced").isNull()).isTrue();
        assertThat(alert.get("held").isNull()).isTrue();
        assertThat(alert.get("acknowledged").asBoolean()).isFalse();
    }

    @Test
    void an_alert_a_silence_covers_is_marked_with_the_silence_and_its_end_and_its_held_opening_says_silenced() throws Exception {
        start(Optional.empty());
        long id = store.addSilence(NewSilence.lasting(List.of(SilenceMatcher.parse("type=ha_update_available")), Duration.ofHours(1), T0,
                "firmware next week", "test")).id();
        diagnostics.run("updates_available");
        assertThat(sink.ofType(EventTypes.HA_UPDATE_AVAILABLE)).as("silenced: not written").isEmpty();

        JsonNode alert = onlyAlert();
        assertThat(alert.get("silenced").get("silence_id").asLong()).isEqualTo(id);
        assertThat(alert.get("silenced").get("until").asText()).isEqualTo(T0.plus(Duration.ofHours(1)).toString());
        assertThat(alert.get("held").get("reason").asText()).isEqualTo("silenced");
        assertThat(alert.get("summary").asText()).as("from the withheld opening").isEqualTo("Router firmware: 1.0 → 1.1");

        String page = send("GET", "/").body();
        assertThat(page).contains("data-alert-state=\"silenced\"", "silenced by silence " + id + " for 1 h 0 min",
                "data-silence-id=\"" + id + "\"", "type=ha_update_available", "firmware next week").doesNotContain("no silences yet");
    }

    @Test
    void the_status_page_says_when_no_silence_is_active_and_marks_an_acknowledged_alert() throws Exception {
        start(Optional.empty());
        diagnostics.run("updates_available");
        assertThat(send("GET", "/").body()).contains("No silence is active", "data-alert-state=\"reported\"");
        assertThat(send("POST", "/alerts/" + onlyAlert().get("correlation_id").asText() + "/acknowledge").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/").body()).contains("data-alert-state=\"acknowledged\"", "acknowledged: no repeats until it resolves");
    }

    @Test
    void an_acknowledged_alert_writes_no_repeat_and_still_writes_its_resolution() throws Exception {
        start(Optional.of("s3cret"));
        diagnostics.run("updates_available");
        String correlationId = onlyAlert().get("correlation_id").asText();

        assertThat(send("POST", "/alerts/" + correlationId + "/acknowledge").statusCode()).as("needs the API token").isEqualTo(401);
        HttpResponse<String> acknowledged = send("POST", "/alerts/" + correlationId + "/acknowledge", "Authorization", "Bearer s3cret");
        assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(200);
        assertThat(JSON.readTree(acknowledged.body()).get("acknowledged").asBoolean()).isTrue();
        assertThat(onlyAlert().get("acknowledged").asBoolean()).isTrue();
        assertThat(onlyAlert().get("held").get("reason").asText()).isEqualTo("acknowledged");

        clock.advance(Duration.ofMinutes(11));
        diagnostics.run("updates_available");
        assertThat(sink.ofType(EventTypes.HA_UPDATE_AVAILABLE)).as("the opening, no repeat").hasSize(1);

        ha.snapshot(new HaSnapshot(List.of(new EntityState("update.fw", "off", UPDATE_ON.attributes(), T0, T0)), List.of(), List.of(), List.of()));
        diagnostics.run("updates_available");
        assertThat(sink.ofType(EventTypes.HA_UPDATE_INSTALLED)).singleElement().satisfies(e -> assertThat(e.correlationId()).isEqualTo(correlationId));
        assertThat(JSON.readTree(send("GET", "/alerts").body()).get("alerts")).isEmpty();
    }

    @Test
    void silencing_by_correlation_id_makes_an_alert_key_silence_for_the_duration_asked() throws Exception {
        start(Optional.of("s3cret"));
        diagnostics.run("updates_available");
        String correlationId = onlyAlert().get("correlation_id").asText();
        assertThat(send("POST", "/alerts/" + correlationId + "/silence?duration=1h").statusCode()).isEqualTo(401);
        HttpResponse<String> silenced = send("POST", "/alerts/" + correlationId + "/silence?duration=1h", "Authorization", "Bearer s3cret");
        assertThat(silenced.statusCode()).as(silenced.body()).isEqualTo(201);
        JsonNode silence = JSON.readTree(silenced.body());
        assertThat(silence.get("matchers").get(0).get("field").asText()).isEqualTo("alert_key");
        assertThat(silence.get("matchers").get(0).get("glob").asText()).isEqualTo("ha_update_available:update:update.fw");
        assertThat(silence.get("ends_at").asText()).isEqualTo(T0.plus(Duration.ofHours(1)).toString());
        assertThat(onlyAlert().get("silenced").get("silence_id").asLong()).isEqualTo(silence.get("id").asLong());
        assertThat(send("POST", "/alerts/" + correlationId + "/silence?duration=soon", "Authorization", "Bearer s3cret").statusCode()).isEqualTo(400);
    }

    @Test
    void acknowledging_an_unknown_correlation_id_is_404() throws Exception {
        start(Optional.empty());
        HttpResponse<String> response = send("POST", "/alerts/nope/acknowledge");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("no open alert with correlation id nope");
    }
}
