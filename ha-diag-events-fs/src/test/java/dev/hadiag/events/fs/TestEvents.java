package dev.hadiag.events.fs;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.Map;

/** Test-data builder with defaults: {@code TestEvents.event().at("…").node("b").build()}. */
final class TestEvents {

    private Instant timestamp = Instant.parse("2026-06-03T17:19:34.123Z");
    private String node = "piha";
    private String type = "ha_websocket_dead";
    private Severity severity = Severity.ERROR;
    private String correlationId = "cid-1";
    private Map<String, Object> payload = Map.of("check", "heartbeat");

    static TestEvents event() {
        return new TestEvents();
    }

    TestEvents at(String iso) {
        timestamp = Instant.parse(iso);
        return this;
    }

    TestEvents node(String value) {
        node = value;
        return this;
    }

    TestEvents type(String value) {
        type = value;
        return this;
    }

    TestEvents severity(Severity value) {
        severity = value;
        return this;
    }

    TestEvents correlationId(String value) {
        correlationId = value;
        return this;
    }

    TestEvents payload(Map<String, Object> value) {
        payload = value;
        return this;
    }

    Event build() {
        return Event.of(timestamp, node, type, severity, "ha-diag-agent", "homeassistant", correlationId, payload);
    }
}
