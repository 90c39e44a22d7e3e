package dev.hadiag.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTest {

    private static final Instant T = Instant.parse("2026-06-03T17:19:34.123456789Z");

    private static Event event(String node, String type) {
        return Event.of(T, node, type, Severity.ERROR, "ha-diag-agent", "homeassistant", "cid-1", Map.of());
    }

    @Test
    void timestamp_is_kept_at_millisecond_precision() {
        assertThat(event("piha", "ha_websocket_dead").timestamp()).isEqualTo(Instant.parse("2026-06-03T17:19:34.123Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "a\\b", ".hidden", "-dash", "", " ", "a b", "ü", "x\u0000y",
            "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void node_that_is_not_filename_safe_is_rejected_naming_the_field(String node) {
        assertThatThrownBy(() -> event(node, "ha_websocket_dead"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'node'")
                .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo("node"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "type/with/slash", "..", "type\n"})
    void type_that_is_not_filename_safe_is_rejected(String type) {
        assertThatThrownBy(() -> event("piha", type)).isInstanceOf(InvalidEventException.class).hasMessageContaining("'type'");
    }

    @Test
    void control_characters_are_escaped_in_the_message() {
        assertThatThrownBy(() -> event("bad\u001b[31m", "t")).hasMessageContaining("\\u001b").hasMessageNotContaining("\u001b");
    }

    @Test
    void arbitrary_safe_types_and_dotted_hostnames_are_accepted() {
        Event e = event("piha.local", "my-tool.custom_event");
        assertThat(e.node()).isEqualTo("piha.local");
        assertThat(e.type()).isEqualTo("my-tool.custom_event");
    }

    @Test
    void blank_strings_are_rejected_naming_the_schema_field() {
        assertThatThrownBy(() -> Event.of(T, "n", "t", Severity.INFO, " ", "svc", "c", Map.of())).hasMessageContaining("'source'");
        assertThatThrownBy(() -> Event.of(T, "n", "t", Severity.INFO, "src", "", "c", Map.of())).hasMessageContaining("'service'");
        assertThatThrownBy(() -> Event.of(T, "n", "t", Severity.INFO, "src", "svc", null, Map.of())).hasMessageContaining("'correlation_id'");
        assertThatThrownBy(() -> Event.of(null, "n", "t", Severity.INFO, "src", "svc", "c", Map.of())).hasMessageContaining("'timestamp'");
        assertThatThrownBy(() -> Event.of(T, "n", "t", null, "src", "svc", "c", Map.of())).hasMessageContaining("'severity'");
    }

    @Test
    void payload_is_a_deep_immutable_copy_that_keeps_json_null() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("nothing", null);
        List<Object> list = new ArrayList<>(List.of(1, "two"));
        Map<String, Object> payload = new HashMap<>(Map.of("inner", inner, "list", list));
        Event e = Event.of(T, "n", "t", Severity.INFO, "s", "v", "c", payload);
        inner.put("later", true);
        list.add(3);

        assertThat(e.payload()).containsEntry("list", List.of(1, "two"));
        assertThat(e.payload().get("inner")).isEqualTo(java.util.Collections.singletonMap("nothing", null));
        assertThatThrownBy(() -> e.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void payload_values_without_a_json_form_are_rejected_with_their_path() {
        Map<String, Object> payload = Map.of("deep", Map.of("thread", new Object()));
        assertThatThrownBy(() -> Event.of(T, "n", "t", Severity.INFO, "s", "v", "c", payload))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("payload.deep.thread");
        assertThatThrownBy(() -> Event.of(T, "n", "t", Severity.INFO, "s", "v", "c", Map.of("nan", Double.NaN)))
                .hasMessageContaining("finite");
    }

    @Test
    void extensions_may_not_shadow_schema_fields() {
        assertThatThrownBy(() -> new Event(T, "n", "t", Severity.INFO, "s", "v", "c", Map.of(), Map.of("node", "other")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'node'");
    }

    @Test
    void severity_parses_wire_names_and_names_the_allowed_set_otherwise() {
        assertThat(Severity.fromWireName("critical")).isEqualTo(Severity.CRITICAL);
        assertThatThrownBy(() -> Severity.fromWireName("fatal")).hasMessageContaining("info|warning|error|critical").hasMessageContaining("'fatal'");
        assertThatThrownBy(() -> Severity.fromWireName("ERROR")).isInstanceOf(IllegalArgumentException.class);
    }
}
