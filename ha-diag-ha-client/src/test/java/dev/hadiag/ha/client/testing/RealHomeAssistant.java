package dev.hadiag.ha.client.testing;

import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real Home Assistant for integration tests, with the scenario entities of docs/testing.md, and the
 * controls the scenarios need. Obtain one by declaring a parameter of this type in a test class
 * extended with {@link HomeAssistantExtension}.
 */
public interface RealHomeAssistant {

    String url();

    AccessToken token();

    /** Whether the test can stop and start HA again (the local-process HA can; the container one cannot). */
    boolean canRestart();

    /** Stops HA (graceful). */
    void stopHomeAssistant();

    /** Kills HA (SIGKILL, as a crash would). */
    void killHomeAssistant();

    /** Starts HA again with the same configuration and token, and waits until it is RUNNING. */
    void startHomeAssistant();

    /** Whether the MQTT broker can be stopped and started by the test (the local-process HA can). */
    boolean controlsMqttBroker();

    void stopMqttBroker();

    void startMqttBroker();

    /** Calls a service through HA's REST API, as a user would from the UI. */
    default void callService(String domain, String service, String jsonBody) {
        post("/api/services/" + domain + "/" + service, jsonBody);
    }

    /** Fires an event (e.g. {@code ha_diag_test_fail} to run the failing automation). */
    default void fireEvent(String eventType) {
        post("/api/events/" + eventType, "{}");
    }

    default void setInputBoolean(String entityId, boolean on) {
        callService("input_boolean", on ? "turn_on" : "turn_off", "{\"entity_id\": \"" + entityId + "\"}");
    }

    /** HTTP/1.1 only: HA's aiohttp answers the JDK client's h2c upgrade attempt with 400. */
    final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        private Http() {
        }
    }

    private void post(String path, String jsonBody) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token().value())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        try {
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
