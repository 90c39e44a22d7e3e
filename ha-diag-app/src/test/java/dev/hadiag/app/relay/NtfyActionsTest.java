package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.EventJson;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ntfy's action buttons on pushed alerts, as ntfy receives the request (MockWebServer stands in for ntfy). */
class NtfyActionsTest {

    private static final String KEY = "ha_entity_unavailable_long:device:d1";
    private final MockWebServer ntfy = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        ntfy.start(0);
    }

    @AfterEach
    void stop() {
        ntfy.close();
    }

    private RecordedRequest push(WebhookSettings settings, String type, Severity severity) throws Exception {
        ntfy.enqueue(new MockResponse.Builder().code(200).build());
        Event event = Event.of(Instant.parse("2026-12-07T12:00:00Z"), "piha", type, severity, "ha-diag-agent", "homeassistant", "cid-1",
                Map.of("alert_key", KEY, "summary", "Garage hub is offline"));
        String name = "20261207T120000.000Z_" + type + "_" + UUID.randomUUID() + ".json";
        new WebhookDestination(settings).deliver(RelayEvent.of(new EventFile("2026-12-07", "piha", name, Path.of(name)), EventJson.toFileBytes(event), event));
        return ntfy.takeRequest(5, TimeUnit.SECONDS);
    }

    private WebhookSettings settings(String actionsUrl, String apiToken) {
        return new WebhookSettings(URI.create(ntfy.url("/homelab").toString()), WebhookSettings.Format.NTFY, Severity.INFO, List.of(), "",
                actionsUrl, apiToken);
    }

    @Test
    void with_the_agents_url_and_api_token_an_alert_push_has_acknowledge_and_silence_buttons_calling_the_agent() throws Exception {
        RecordedRequest request = push(settings("https://piha.example.ts.net:8087/", "api-secret"), "ha_entity_unavailable_long", Severity.WARNING);
        assertThat(request.getHeaders().get("Actions")).isEqualTo(
                "http, Acknowledge, https://piha.example.ts.net:8087/alerts/cid-1/acknowledge, method=POST, headers.Authorization=Bearer api-secret, "
                        + "clear=true; http, Silence 1 h, https://piha.example.ts.net:8087/alerts/cid-1/silence?duration=1h, method=POST, "
                        + "headers.Authorization=Bearer api-secret, clear=true");
        assertThat(request.getHeaders().get("Title")).isEqualTo("ha_entity_unavailable_long on piha");
    }

    @Test
    void without_both_settings_or_on_a_resolution_there_are_no_buttons() throws Exception {
        assertThat(push(settings("https://piha.example.ts.net:8087", ""), "ha_entity_unavailable_long", Severity.WARNING).getHeaders().get("Actions"))
                .as("no API token").isNull();
        assertThat(push(settings("", "api-secret"), "ha_entity_unavailable_long", Severity.WARNING).getHeaders().get("Actions"))
                .as("no URL").isNull();
        assertThat(push(settings("https://piha.example.ts.net:8087", "api-secret"), "ha_entity_recovered", Severity.INFO).getHeaders().get("Actions"))
                .as("a resolution").isNull();
    }
}
