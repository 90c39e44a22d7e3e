package dev.hadiag.ha.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a {@code state_changed} event straight off the frame's parser, keeping only what the stream's
 * detectors need: the entity id, the old and new state text, and the new state's report time. Attributes
 * and contexts are skipped token by token, never built into trees: on a 10,000-entity install this is the
 * agent's busiest path (issue 15, issue 19).
 */
final class StateChangedEvents {

    /**
     * @param reportedAtOrNull the new state's {@code last_reported} (HA 2024.4+), else its {@code last_updated};
     *                         null when HA sent neither, a removed entity (read it with {@link #reportedAt()})
     */
    record Change(String entityId, String oldState, String newState, Instant reportedAtOrNull) {
        Optional<Instant> reportedAt() {
            return Optional.ofNullable(reportedAtOrNull);
        }
    }

    private StateChangedEvents() {
    }

    /** The parser at the event object's START_OBJECT; leaves it at the matching END_OBJECT. An event without an entity is null. */
    static Change read(JsonParser parser) throws IOException {
        String entityId = null;
        State oldState = State.NONE;
        State newState = State.NONE;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken token = parser.nextToken();
                    switch (field) {
                        case "entity_id" -> entityId = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                        case "old_state" -> oldState = state(parser, token);
                        case "new_state" -> newState = state(parser, token);
                        default -> parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        if (entityId == null || entityId.isBlank()) {
            return null;
        }
        return new Change(entityId, oldState.state(), newState.state(), newState.reportedAt().orElse(null));
    }

    /**
     * A state as read: its text, and its two times still unparsed, because parsing an ISO 8601 time is most of
     * this path's cost (figure 3 of docs/performance.md) and only the new state's report time is ever used.
     */
    private record State(String state, String lastUpdated, String lastReported) {
        static final State NONE = new State("", null, null);

        /** {@code last_reported} when HA sent a readable one, else {@code last_updated}: at most two parses, usually one. */
        Optional<Instant> reportedAt() {
            Optional<Instant> reported = lastReported == null ? Optional.empty() : HaJson.parseInstant(lastReported);
            return reported.isPresent() || lastUpdated == null ? reported : HaJson.parseInstant(lastUpdated);
        }
    }

    private static State state(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return State.NONE;
        }
        String state = "";
        String updated = null;
        String reported = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                parser.skipChildren();
                continue;
            }
            switch (field) {
                case "state" -> state = parser.getText();
                case "last_updated" -> updated = parser.getText();
                case "last_reported" -> reported = parser.getText();
                default -> { }
            }
        }
        return new State(state, updated, reported);
    }
}
