package dev.hadiag.ha.client.testing;

import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A real Home Assistant for integration tests, with the scenario entities of docs/testing.md, and the
 * controls the scenarios need. Obtain one by declaring a parameter of this type in a test class
 * extended with {@link HomeAssistantExtension}.
 */
public interface RealHomeAssistant {

    /** The version the tests run against: {@code HA_DIAG_HA_VERSION}, default 2024.3.3 (the oldest supported). */
    static String requestedVersion() {
        String version = System.getenv("HA_DIAG_HA_VERSION");
        return version == null || version.isBlank() ? "2024.3.3" : version;
    }

    /** The Home Assistant version this instance runs (tests expect its answers, e.g. its error texts). */
    default String version() {
        return requestedVersion();
    }

    /** Whether this is HA 2024.3, the last release on Python 3.11; every later supported one answers like 2026.11. */
    default boolean isLegacy() {
        return version().startsWith("2024.3.");
    }

    /** Whether HA runs in a container: HA then reports itself as a Container install, not a (deprecated) Core one. */
    default boolean runsInContainer() {
        return false;
    }

    /**
     * The repair this HA always raises, as {@code domain/issue_id}, if any: 2024.3 on Python 3.11 its
     * {@code python_version} one; 2026.11 installed as a Core install (a venv) {@code deprecated_method}; none
     * for 2026.11 in a container.
     */
    default Optional<String> standingRepair() {
        if (isLegacy()) {
            return Optional.of("homeassistant/python_version");
        }
        return runsInContainer() ? Optional.empty() : Optional.of("homeassistant/deprecated_method");
    }

    String url();

    AccessToken token();

    /** Whether the test can stop and start HA again (both the local process and the container can). */
    boolean canRestart();

    /** Stops HA (graceful). */
    void stopHomeAssistant();

    /** Kills HA (SIGKILL, as a crash would). */
    void killHomeAssistant();

    /** Starts HA again with the same configuration and token, and waits until it is RUNNING. */
    void startHomeAssistant();

    /**
     * Waits until HA's process has exited by itself, as after {@code homeassistant.restart}: HA only exits
     * (code 100) and leaves the start to its supervisor, which the test then plays with {@link #startHomeAssistant()}.
     */
    void awaitHomeAssistantExited(Duration atMost);

    /** Whether the MQTT broker can be stopped and started by the test (both modes: a process or a second container). */
    boolean controlsMqttBroker();

    void stopMqttBroker();

    void startMqttBroker();

    /**
     * The port of HA's own MQTT broker on this host's loopback, for a test whose agent talks to that broker itself (HA's
     * MQTT discovery); empty where the broker is not reachable from the host (in container mode it listens on the
     * containers' network only).
     */
    default OptionalInt mqttPort() {
        return OptionalInt.empty();
    }

    /** Calls a service through HA's REST API, as a user would from the UI. */
    default void callService(String domain, String service, String jsonBody) {
        post("/api/services/" + domain + "/" + service, jsonBody);
    }

    /** Sets a state through the REST API ({@code POST /api/states/<id>}), as a script outside HA would. */
    default void setState(String entityId, String jsonBody) {
        post("/api/states/" + entityId, jsonBody);
    }

    /** Removes a state set through the REST API ({@code DELETE /api/states/<id>}), so it disturbs no later test. */
    default void removeState(String entityId) {
        send("DELETE", "/api/states/" + entityId, HttpRequest.BodyPublishers.noBody(), 404);
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
        send("POST", path, HttpRequest.BodyPublishers.ofString(jsonBody), 201);
    }

    /** Sends one request; 200 and {@code alsoFine} are success. */
    private void send(String method, String path, HttpRequest.BodyPublisher body, int alsoFine) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token().value())
                .header("Content-Type", "application/json")
                .method(method, body)
                .build();
        try {
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != alsoFine) {
                throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
