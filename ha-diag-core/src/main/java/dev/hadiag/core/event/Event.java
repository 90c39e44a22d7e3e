package dev.hadiag.core.event;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One event of the homelab event pipeline, in the seed's schema. Valid by construction: every string is
 * non-blank, {@code node} and {@code type} are filename-safe (they become path segments), the timestamp
 * is UTC at millisecond precision, and payload and extensions are deep immutable copies.
 *
 * @param extensions top-level fields beyond the schema, found in files written by other tools; kept so a
 *                   reader can pass them on unchanged. Events this project creates have none.
 */
public record Event(
        Instant timestamp,
        String node,
        String type,
        Severity severity,
        String source,
        String service,
        String correlationId,
        Map<String, Object> payload,
        Map<String, Object> extensions) {

    /** What a node name or event type must look like to be used as a file or directory name. */
    public static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The schema's field names, in the order files are written; extensions may not reuse them. */
    public static final Set<String> SCHEMA_FIELDS = Set.of(
            "timestamp", "node", "type", "severity", "source", "service", "correlation_id", "payload");

    public Event {
        if (timestamp == null) {
            throw new InvalidEventException("timestamp", "is required");
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
        requireSafeName("node", node);
        requireSafeName("type", type);
        if (severity == null) {
            throw new InvalidEventException("severity", "must be one of " + Severity.allowedValues());
        }
        requireText("source", source);
        requireText("service", service);
        requireText("correlation_id", correlationId);
        payload = copy("payload", payload == null ? Map.of() : payload);
        extensions = copy("extensions", extensions == null ? Map.of() : extensions);
        for (String name : extensions.keySet()) {
            if (SCHEMA_FIELDS.contains(name)) {
                throw new InvalidEventException("extensions", "may not redefine the schema field '" + name + "'");
            }
        }
    }

    /** An event with no extensions, as this project emits them. */
    public static Event of(Instant timestamp, String node, String type, Severity severity, String source,
            String service, String correlationId, Map<String, Object> payload) {
        return new Event(timestamp, node, type, severity, source, service, correlationId, payload, Map.of());
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field, "must not be blank");
        }
    }

    private static void requireSafeName(String field, String value) {
        requireText(field, value);
        if (!SAFE_NAME.matcher(value).matches()) {
            throw new InvalidEventException(field,
                    "must match " + SAFE_NAME.pattern() + " (it is used as a file name), was '" + printable(value) + "'");
        }
    }

    private static Map<String, Object> copy(String field, Map<String, Object> value) {
        try {
            return JsonValues.copyObject(value, field);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field, "is not JSON: " + e.getMessage());
        }
    }

    // Keeps control characters of a hostile value out of log lines and terminals.
    private static String printable(String value) {
        String shortened = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return shortened.codePoints()
                .mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c))
                .reduce("", String::concat);
    }
}
