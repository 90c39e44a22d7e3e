package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A state_changed event cut down as it is read, in both versions' shapes. */
class StateChangedEventsTest {

    private static StateChangedEvents.Change read(String json) throws Exception {
        try (JsonParser parser = HaJson.MAPPER.createParser(json)) {
            parser.nextToken();
            StateChangedEvents.Change change = StateChangedEvents.read(parser);
            assertThat(parser.nextToken()).as("the whole event was consumed").isNull();
            return change;
        }
    }

    private static String event(String oldState, String newState) {
        return "{\"event_type\":\"state_changed\",\"data\":{\"entity_id\":\"sensor.a\",\"old_state\":" + oldState
                + ",\"new_state\":" + newState + "},\"origin\":\"LOCAL\",\"time_fired\":\"2026-11-24T08:00:00+00:00\","
                + "\"context\":{\"id\":\"01J\",\"parent_id\":null,\"user_id\":null}}";
    }

    private static String state(String value, String extra) {
        return "{\"entity_id\":\"sensor.a\",\"state\":\"" + value + "\",\"attributes\":{\"friendly_name\":\"A\",\"nested\":{\"state\":\"x\","
                + "\"list\":[1,{\"last_updated\":\"nope\"}]}},\"last_changed\":\"2026-11-24T07:00:00+00:00\","
                + "\"last_updated\":\"2026-11-24T07:59:00+00:00\"" + extra + ",\"context\":{\"id\":\"01J\"}}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2024.3: no last_reported, last_updated counts | | 2026-11-24T07:59:00Z",
            "2026.11: last_reported counts | ,\"last_reported\":\"2026-11-24T07:59:30.5+00:00\" | 2026-11-24T07:59:30.500Z"})
    void the_entity_states_and_report_time_are_kept_and_attributes_skipped(String shape, String extra, String reported) throws Exception {
        StateChangedEvents.Change change = read(event(state("unavailable", ""), state("21.5", extra == null ? "" : extra)));
        assertThat(change).isEqualTo(new StateChangedEvents.Change("sensor.a", "unavailable", "21.5", Instant.parse(reported)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"added | null | ok | '' | ok", "removed | ok | null | ok | ''"})
    void an_added_or_removed_entity_has_no_state_on_one_side(String what, String before, String after, String oldState, String newState)
            throws Exception {
        StateChangedEvents.Change change = read(event(before.equals("null") ? "null" : state(before, ""),
                after.equals("null") ? "null" : state(after, "")));
        assertThat(change.oldState()).isEqualTo(oldState);
        assertThat(change.newState()).isEqualTo(newState);
        assertThat(change.reportedAt().isPresent()).isEqualTo(!newState.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unreadable last_reported: last_updated counts | ,\"last_reported\":\"yesterday\" | 2026-11-24T07:59:00Z",
            "last_reported not a string: last_updated counts | ,\"last_reported\":12 | 2026-11-24T07:59:00Z",
            "no zone in last_reported: read as UTC | ,\"last_reported\":\"2026-11-24T07:59:45\" | 2026-11-24T07:59:45Z"})
    void the_report_time_falls_back_to_last_updated_when_last_reported_is_unreadable(String shape, String extra, String reported)
            throws Exception {
        StateChangedEvents.Change change = read(event(state("unavailable", ""), state("21.5", extra)));
        assertThat(change.reportedAt()).contains(Instant.parse(reported));
    }

    @Test
    void the_old_states_times_are_not_needed_and_a_new_state_without_any_time_has_no_report_time() throws Exception {
        String oldState = "{\"state\":\"on\",\"last_updated\":\"garbage\",\"last_reported\":\"garbage\"}";
        StateChangedEvents.Change change = read(event(oldState, "{\"state\":\"off\"}"));
        assertThat(change).isEqualTo(new StateChangedEvents.Change("sensor.a", "on", "off", null));
    }
}
