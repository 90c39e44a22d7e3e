package dev.hadiag.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hadiag.core.silence.InvalidSilenceException;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.SilenceField;
import dev.hadiag.core.silence.SilenceMatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** {@code GET/POST /silences} and {@code DELETE /silences/{id}}: the JSON shapes and the validation of what clients send. */
final class SilenceRoutes {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> FIELDS = Set.of("matchers", "duration", "ends_at", "comment", "created_by");

    private SilenceRoutes() {
    }

    /**
     * Reads a {@code POST /silences} body.
     *
     * @throws InvalidSilenceException naming the field for anything malformed, missing or out of range
     */
    static NewSilence parse(String body, Instant now) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidSilenceException("body", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSilenceException("body", "must be a JSON object with matchers and a duration or ends_at");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidSilenceException(name, "unknown field; fields are matchers, duration, ends_at, comment, created_by");
            }
        }
        JsonNode matchersNode = root.path("matchers");
        if (!matchersNode.isArray()) {
            throw new InvalidSilenceException("matchers", "must be an array of {\"field\": …, \"glob\": …}");
        }
        List<SilenceMatcher> matchers = new ArrayList<>();
        for (JsonNode matcher : matchersNode) {
            if (!matcher.isObject() || !matcher.path("field").isTextual() || !matcher.path("glob").isTextual() || matcher.size() != 2) {
                throw new InvalidSilenceException("matchers", "each matcher is {\"field\": \"" + String.join("|", SilenceField.wireNames())
                        + "\", \"glob\": \"…\"} and nothing else");
            }
            matchers.add(new SilenceMatcher(SilenceField.fromWire(matcher.get("field").asText()), matcher.get("glob").asText()));
        }
        String comment = text(root, "comment");
        String createdBy = text(root, "created_by");
        boolean hasDuration = root.has("duration");
        boolean hasEnd = root.has("ends_at");
        if (hasDuration && hasEnd) {
            throw new InvalidSilenceException("duration", "give a duration or ends_at, not both");
        }
        if (hasDuration) {
            JsonNode duration = root.get("duration");
            Duration parsed;
            if (duration.isIntegralNumber()) {
                parsed = Duration.ofSeconds(duration.asLong());
            } else if (duration.isTextual()) {
                parsed = NewSilence.parseDuration(duration.asText());
            } else {
                throw new InvalidSilenceException("duration", "must be a string like \"2h\" or a number of seconds");
            }
            return NewSilence.lasting(matchers, parsed, now, comment, createdBy);
        }
        if (hasEnd) {
            if (!root.get("ends_at").isTextual()) {
                throw new InvalidSilenceException("ends_at", "must be an ISO-8601 instant like 2026-11-24T18:00:00Z");
            }
            try {
                return NewSilence.until(matchers, Instant.parse(root.get("ends_at").asText()), now, comment, createdBy);
            } catch (DateTimeParseException e) {
                throw new InvalidSilenceException("ends_at", "'" + root.get("ends_at").asText() + "' is not an ISO-8601 instant like 2026-11-24T18:00:00Z");
            }
        }
        throw new InvalidSilenceException("duration", "a duration or ends_at is required");
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new InvalidSilenceException(field, "must be a string");
        }
        return value.asText();
    }
}
