package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On MQTT 3.1.1 the event id travels in the event's JSON instead of a user property. */
class MqttEventIdTest {

    private static final String ID = "0d6c1a8e-4a8b-4c7e-9a51-2f0d3b6c9e11";

    private static String with(String json) {
        return new String(MqttDestination.withEventId(json.getBytes(StandardCharsets.UTF_8), ID), StandardCharsets.UTF_8);
    }

    @Test
    void the_id_becomes_the_last_member_and_the_bytes_before_it_stay_as_they_were() throws Exception {
        byte[] file = EventJson.toFileBytes(Event.of(Instant.parse("2026-12-07T12:00:00Z"), "piha", "ha_battery_low", Severity.WARNING,
                "ha-diag-agent", "homeassistant", "c-1", Map.of("alert_key", "ha_battery_low:device:d1", "summary", "low")));
        String original = new String(file, StandardCharsets.UTF_8);
        String out = with(original);
        assertThat(out).startsWith(original.substring(0, original.lastIndexOf('}')));
        assertThat(new ObjectMapper().readTree(out).path("event_id").asText()).isEqualTo(ID);
        assertThat(EventJson.parse(out.getBytes(StandardCharsets.UTF_8)).type()).isEqualTo("ha_battery_low");
    }

    @Test
    void an_empty_object_trailing_whitespace_and_an_id_already_there_are_handled() throws Exception {
        assertThat(new ObjectMapper().readTree(with("{ }\n")).path("event_id").asText()).isEqualTo(ID);
        assertThat(new ObjectMapper().readTree(with("{\"a\":1}\n\n")).path("event_id").asText()).isEqualTo(ID);
        assertThat(with("{\"event_id\":\"mine\"}")).isEqualTo("{\"event_id\":\"mine\"}");
        assertThat(with("not json")).isEqualTo("not json");
    }
}
