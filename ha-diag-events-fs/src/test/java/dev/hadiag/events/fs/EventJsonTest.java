package dev.hadiag.events.fs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final String VALID_BUT = "{\"timestamp\":\"2026-06-03T11:00:03Z\",\"node\":\"piha\",\"type\":\"x\",\"severity\":%s,"
            + "\"source\":\"s\",\"service\":\"v\",\"correlation_id\":\"c\",\"payload\":{}}";

    @Test
    void a_missing_field_is_named_alone_not_under_another_fields_name() {
        assertThatThrownBy(() -> EventJson.parse("{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("field 'timestamp' is missing");
        assertThatThrownBy(() -> EventJson.parse(VALID_BUT.formatted("\"info\"").replace("\"node\":\"piha\",", "")
                .getBytes(StandardCharsets.UTF_8)))
                .hasMessage("field 'node' is missing");
    }

    @Test
    void a_bad_severity_is_named_as_the_severity() {
        assertThatThrownBy(() -> EventJson.parse(VALID_BUT.formatted("\"fatal\"").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("field 'severity': severity must be one of info|warning|error|critical, was 'fatal'");
        assertThatThrownBy(() -> EventJson.parse(VALID_BUT.formatted("null").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("field 'severity' is missing");
    }
}
