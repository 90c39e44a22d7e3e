package dev.hadiag.ha.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hadiag.core.event.Iso8601;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.ConfigEntryState;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * HA's JSON to core records. Unknown fields (newer HA versions add many) are ignored; a field a check
 * needs that is missing or of the wrong type is a {@link HaProtocolException} naming it.
 */
final class HaJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private HaJson() {
    }

    static HaConfig config(JsonNode node) {
        requireObject(node, "/api/config");
        List<String> components = new ArrayList<>();
        JsonNode list = node.path("components");
        if (list.isArray()) {
            list.forEach(c -> components.add(c.asText()));
        }
        return new HaConfig(optionalText(node, "version"), CoreState.fromWire(text(node, "state", "/api/config")),
                optionalText(node, "location_name"), components);
    }

    /** Every attribute of a state is read. */
    static final Predicate<String> EVERY_ATTRIBUTE = name -> true;

    /**
     * Streams a states array, one state at a time, so the whole array never exists at once; of each state's
     * attributes only those {@code attributes} accepts are read (the parser skips the others).
     */
    static void states(InputStream body, Predicate<String> attributes, Consumer<EntityState> consumer) throws IOException {
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new HaProtocolException("/api/states: expected a JSON array", null);
            }
            int index = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                consumer.accept(state(parser, "/api/states[" + index++ + "]", attributes));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw new HaProtocolException("/api/states: expected an object or the end of the array at element " + index, null);
            }
        }
    }

    static EntityState state(JsonNode node, String where) {
        requireObject(node, where);
        try (JsonParser parser = node.traverse(MAPPER)) {
            parser.nextToken();
            return state(parser, where, EVERY_ATTRIBUTE);
        } catch (IOException e) {
            throw new IllegalStateException("a tree always reads", e);
        }
    }

    /**
     * One state read off the parser, which is at its START_OBJECT: no tree is built, and only the attributes become
     * a map (a 20,000-entity {@code /api/states} is read in a third less time than through a tree per state).
     */
    static EntityState state(JsonParser parser, String where, Predicate<String> wanted) throws IOException {
        String entityId = null;
        String state = null;
        String lastChanged = null;
        String lastUpdated = null;
        String lastReported = null;
        Map<String, Object> attributes = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "entity_id" -> entityId = string(parser, token, field, where);
                case "state" -> state = string(parser, token, field, where);
                case "last_changed" -> lastChanged = string(parser, token, field, where);
                case "last_updated" -> lastUpdated = string(parser, token, field, where);
                case "last_reported" -> lastReported = string(parser, token, field, where);
                case "attributes" -> {
                    if (token == JsonToken.START_OBJECT) {
                        Map<String, Object> read = readAttributes(parser, wanted);
                        attributes = read.isEmpty() ? Map.of() : read;
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        Instant updated = instant(required(lastUpdated, "last_updated", where), "last_updated", where);
        return new EntityState(required(entityId, "entity_id", where), required(state, "state", where), attributes,
                instant(required(lastChanged, "last_changed", where), "last_changed", where), updated,
                lastReported == null ? updated : instant(lastReported, "last_reported", where)); // 2024.3.3 sends none
    }

    /**
     * The object at the parser's START_OBJECT as plain maps, lists, strings, numbers and booleans: what Jackson's
     * untyped deserialisation gives, without setting up a deserialisation for each of 20,000 states.
     */
    private static Map<String, Object> readAttributes(JsonParser parser, Predicate<String> wanted) throws IOException {
        if (wanted == EVERY_ATTRIBUTE) {
            return readObject(parser);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (wanted.test(field)) {
                object.put(field, readValue(parser, token));
            } else {
                parser.skipChildren();
            }
        }
        return object;
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            object.put(field, readValue(parser, parser.nextToken()));
        }
        return object;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, next));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new HaProtocolException("unexpected JSON token " + token, null);
        };
    }

    /** A string field's text; null for JSON null; anything else is HA's protocol error. */
    private static String string(JsonParser parser, JsonToken token, String field, String where) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new HaProtocolException(where + ": field '" + field + "' must be a string", null);
        }
        return parser.getText();
    }

    private static String required(String value, String field, String where) {
        if (value == null) {
            throw new HaProtocolException(where + ": field '" + field + "' is missing", null);
        }
        return value;
    }

    private static Instant instant(String text, String field, String where) {
        return parseInstant(text).orElseThrow(() ->
                new HaProtocolException(where + ": field '" + field + "' is not an ISO 8601 time", null));
    }

    static List<ConfigEntry> configEntries(JsonNode node, String where) {
        return list(node, where, (entry, at) -> {
            String rawState = optionalText(entry, "state");
            return new ConfigEntry(text(entry, "entry_id", at), text(entry, "domain", at), optionalText(entry, "title"),
                    ConfigEntryState.fromWire(rawState), rawState, optionalText(entry, "reason"), optionalText(entry, "disabled_by"));
        });
    }

    static final ElementMapper<EntityRegistryEntry> ENTITY_REGISTRY_ENTRY = (entry, at) -> new EntityRegistryEntry(
            text(entry, "entity_id", at), optionalText(entry, "platform"), optionalText(entry, "config_entry_id"),
            optionalText(entry, "device_id"), optionalText(entry, "disabled_by"), optionalText(entry, "hidden_by"),
            optionalText(entry, "name"), optionalText(entry, "original_name"), texts(entry.path("labels")));

    static final ElementMapper<DeviceRegistryEntry> DEVICE_REGISTRY_ENTRY = (device, at) -> {
        List<String> entries = texts(device.path("config_entries"));
        // 2026.11 gives each device one config_entry_id beside the old list; without it, primary_config_entry names
        // the owner among several, and 2024.3.3 sends only the list (HaJsonTest and OkHttpHomeAssistantIT read all three).
        String owner = optionalText(device, "config_entry_id");
        if (owner.isEmpty()) {
            owner = optionalText(device, "primary_config_entry");
        }
        if (entries.isEmpty() && !owner.isEmpty()) {
            entries = List.of(owner);
        }
        return new DeviceRegistryEntry(text(device, "id", at), optionalText(device, "name"),
                optionalText(device, "name_by_user"), entries, optionalText(device, "disabled_by"),
                optionalText(device, "manufacturer"), optionalText(device, "model"), owner,
                optionalText(device, "parent_device_id"), optionalText(device, "via_device_id"));
    };

    static List<AutomationTrace> traces(JsonNode node) {
        return list(node, "trace/list", (trace, at) -> isNotTriggered(trace) ? null : trace(trace, at)).stream()
                .filter(java.util.Objects::nonNull).toList();
    }

    private static AutomationTrace trace(JsonNode trace, String at) {
        JsonNode timestamp = trace.path("timestamp");
        if (!timestamp.isObject()) {
            throw new HaProtocolException(at + ": field 'timestamp' is missing", null);
        }
        return new AutomationTrace(text(trace, "item_id", at), text(trace, "run_id", at), optionalText(trace, "state"),
                optionalText(trace, "script_execution"), instant(timestamp, "start", at + ".timestamp"),
                instantOrNull(timestamp, "finish", at + ".timestamp"), optionalText(trace, "error"),
                optionalText(trace, "last_step"), optionalText(trace, "trigger"));
    }

    /** Drops traces HA marks {@code not_triggered}: runs that never started are not failures. */
    static boolean isNotTriggered(JsonNode trace) {
        return trace.path("not_triggered").asBoolean(false);
    }

    static RecorderInfo recorderInfo(JsonNode node) {
        requireObject(node, "recorder/info");
        JsonNode backlog = node.get("backlog");
        return new RecorderInfo(backlog == null || backlog.isNull() ? null : backlog.asLong(),
                node.path("max_backlog").asLong(0), bool(node, "recording", "recorder/info"),
                bool(node, "thread_running", "recorder/info"), node.path("migration_in_progress").asBoolean(false));
    }

    static List<RepairIssue> repairIssues(JsonNode node) {
        requireObject(node, "repairs/list_issues");
        return list(node.get("issues"), "repairs/list_issues.issues", (issue, at) -> {
            JsonNode placeholders = issue.path("translation_placeholders");
            return new RepairIssue(text(issue, "domain", at), text(issue, "issue_id", at), optionalText(issue, "severity"),
                    issue.path("ignored").asBoolean(false), issue.path("is_fixable").asBoolean(false),
                    optionalText(issue, "translation_key"),
                    placeholders.isObject() ? MAPPER.convertValue(placeholders, OBJECT) : Map.of(),
                    optionalText(issue, "breaks_in_ha_version"), instantOrNull(issue, "created", at),
                    optionalText(issue, "learn_more_url"));
        });
    }

    /**
     * {@code backup/info}: before 2025.1 {@code {backups: [{slug, name, date, path, size}], backing_up}}; since,
     * {@code {backups: [{backup_id, name, date, agents: {id: …}, failed_agent_ids, with_automatic_settings, …}],
     * last_attempted_automatic_backup, last_completed_automatic_backup, next_automatic_backup, last_action_event,
     * agent_errors, state}} (docs/home-assistant.md).
     */
    static BackupInfo backupInfo(JsonNode node) {
        requireObject(node, "backup/info");
        List<BackupInfo.Backup> backups = list(node.get("backups"), "backup/info.backups", (backup, at) -> {
            String id = optionalText(backup, "backup_id");
            JsonNode agents = backup.path("agents");
            List<String> agentIds = new ArrayList<>();
            if (agents.isObject()) {
                agents.fieldNames().forEachRemaining(agentIds::add);
            }
            return new BackupInfo.Backup(id.isEmpty() ? text(backup, "slug", at) : id, optionalText(backup, "name"),
                    instant(backup, "date", at), agentIds, texts(backup.path("failed_agent_ids")),
                    backup.path("with_automatic_settings").asBoolean(false));
        });
        if (!node.has("state") && !node.has("last_attempted_automatic_backup")) {
            return BackupInfo.legacy(backups, node.path("backing_up").asBoolean(false));
        }
        JsonNode event = node.path("last_action_event");
        String reason = "failed".equals(optionalText(event, "state")) ? optionalText(event, "reason") : "";
        Map<String, String> agentErrors = new LinkedHashMap<>();
        node.path("agent_errors").fields().forEachRemaining(e -> agentErrors.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        String state = optionalText(node, "state");
        return new BackupInfo(true, backups, !state.isEmpty() && !"idle".equals(state),
                instantOrNull(node, "last_attempted_automatic_backup", "backup/info"),
                instantOrNull(node, "last_completed_automatic_backup", "backup/info"),
                instantOrNull(node, "next_automatic_backup", "backup/info"), reason, agentErrors);
    }

    /**
     * {@code system_log/list}: an array of entries, each {@code name}, {@code message} (a list of up to five; one string
     * on old versions), {@code level}, {@code source} ({@code [file, line]}), {@code count}, {@code exception} and the
     * times {@code first_occurred} and {@code timestamp} (the last occurrence) in epoch seconds with a fraction.
     */
    static List<LogEntry> systemLog(JsonNode node) {
        return list(node, "system_log/list", (entry, at) -> {
            JsonNode message = entry.path("message");
            List<String> messages = message.isTextual() ? List.of(message.asText()) : texts(message);
            JsonNode source = entry.path("source");
            String where = source.isArray()
                    ? source.path(0).asText("") + (source.has(1) ? ":" + source.path(1).asText("") : "")
                    : source.asText("");
            Instant last = epochSeconds(entry, "timestamp", at);
            Instant first = entry.hasNonNull("first_occurred") ? epochSeconds(entry, "first_occurred", at) : last;
            JsonNode count = entry.path("count");
            if (!count.canConvertToLong() || count.asLong() < 0) {
                throw new HaProtocolException(at + ": field 'count' must be a count", null);
            }
            return new LogEntry(text(entry, "name", at), messages, optionalText(entry, "level"), where, count.asLong(), first, last,
                    optionalText(entry, "exception"));
        });
    }

    private static Instant epochSeconds(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new HaProtocolException(where + ": field '" + field + "' must be epoch seconds", null);
        }
        double seconds = value.asDouble();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1_000_000) * 1_000L);
    }

    static Map<String, Object> object(JsonNode node) {
        return node != null && node.isObject() ? MAPPER.convertValue(node, OBJECT) : Map.of();
    }

    interface ElementMapper<T> {
        T map(JsonNode element, String where);
    }

    static <T> List<T> list(JsonNode node, String where, ElementMapper<T> mapper) {
        if (node == null || !node.isArray()) {
            throw new HaProtocolException(where + ": expected a JSON array", null);
        }
        List<T> result = new ArrayList<>(node.size());
        int index = 0;
        for (JsonNode element : node) {
            String at = where + "[" + index++ + "]";
            requireObject(element, at);
            result.add(mapper.map(element, at));
        }
        return result;
    }

    static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> {
                if (v.isTextual()) {
                    values.add(v.asText());
                }
            });
        }
        return values;
    }

    static void requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new HaProtocolException(where + ": expected a JSON object", null);
        }
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new HaProtocolException(where + ": field '" + field + "' is missing", null);
        }
        if (!value.isTextual()) {
            throw new HaProtocolException(where + ": field '" + field + "' must be a string", null);
        }
        return value.asText();
    }

    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
    }

    private static boolean bool(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new HaProtocolException(where + ": field '" + field + "' must be true or false", null);
        }
        return value.asBoolean();
    }

    static Instant instant(JsonNode node, String field, String where) {
        return instant(text(node, field, where), field, where);
    }

    /** The records' nullable components take it as it is: absent is null. */
    private static Instant instantOrNull(JsonNode node, String field, String where) {
        String value = optionalText(node, field);
        return value.isEmpty() ? null : instant(value, field, where);
    }

    /** HA writes offsets ({@code +00:00}); values without one are read as UTC (see {@link Iso8601}). */
    static Optional<Instant> parseInstant(String text) {
        return Iso8601.parse(text);
    }
}
