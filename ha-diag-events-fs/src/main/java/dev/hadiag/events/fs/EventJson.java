package dev.hadiag.events.fs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.InvalidEventException;
import dev.hadiag.core.event.Iso8601;
import dev.hadiag.core.event.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The event-system JSON form of an {@link Event}: schema fields in schema order, then any extensions.
 * Reading is strict about the schema and lenient about everything else (unknown fields are kept, ISO
 * timestamps with or without offset are accepted), so files from other homelab tools read back whole.
 */
public final class EventJson {

    /** ISO 8601 UTC at millisecond precision with {@code Z}, as the schema requires. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Built once: event files are written on the hot path of an alert storm. */
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private EventJson() {
    }

    /** The event as one line of compact JSON, without a line break (for JSON-lines output). */
    public static String toJsonLine(Event event) {
        return new String(write(event, false), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The event as an indented JSON document ending in a line break, as event files hold it. */
    public static byte[] toFileBytes(Event event) {
        return write(event, true);
    }

    private static byte[] write(Event event, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        ObjectMapper mapper = pretty ? PRETTY : MAPPER;
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(event.timestamp()));
            json.writeStringField("node", event.node());
            json.writeStringField("type", event.type());
            json.writeStringField("severity", event.severity().wireName());
            json.writeStringField("source", event.source());
            json.writeStringField("service", event.service());
            json.writeStringField("correlation_id", event.correlationId());
            json.writeObjectField("payload", event.payload());
            for (Map.Entry<String, Object> extension : event.extensions().entrySet()) {
                json.writeObjectField(extension.getKey(), extension.getValue());
            }
            json.writeEndObject();
            if (pretty) {
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            // Writing validated JSON values to memory cannot fail for I/O reasons.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads one event.
     *
     * @throws MalformedEventException saying what is wrong: not JSON, not an object, a schema field
     *                                 missing or invalid
     */
    public static Event parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new MalformedEventException("unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!Event.SCHEMA_FIELDS.contains(field.getKey())) {
                extensions.put(field.getKey(), MAPPER.convertValue(field.getValue(), Object.class));
            }
        }
        JsonNode payload = root.get("payload");
        if (payload != null && !payload.isObject() && !payload.isNull()) {
            throw new MalformedEventException("field 'payload' must be an object");
        }
        try {
            return new Event(
                    parseTimestamp(text(root, "timestamp")),
                    text(root, "node"),
                    text(root, "type"),
                    severity(text(root, "severity")),
                    text(root, "source"),
                    text(root, "service"),
                    text(root, "correlation_id"),
                    payload == null || payload.isNull() ? Map.of() : MAPPER.convertValue(payload, OBJECT),
                    extensions);
        } catch (InvalidEventException e) {
            throw new MalformedEventException(e.getMessage());
        }
    }

    /** Only the severity's own failure is worded as the severity's: a catch around the whole event named it for others. */
    private static Severity severity(String text) {
        try {
            return Severity.fromWireName(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("field 'severity': " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedEventException("field '" + field + "' is missing");
        }
        if (!value.isTextual()) {
            throw new MalformedEventException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    /** Accepts {@code Z}, an offset, or no zone at all (the schema says UTC, and Python's isoformat omits it). */
    static Instant parseTimestamp(String text) {
        return Iso8601.parse(text).orElseThrow(() ->
                new MalformedEventException("field 'timestamp' is not an ISO 8601 timestamp: '" + text + "'"));
    }
}
