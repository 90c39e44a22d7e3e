package dev.hadiag.app.config;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.relay.MqttSettings;
import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.app.relay.WebhookSettings;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.check.CheckNames;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the {@link AgentConfig}: environment variables win over the YAML file, which wins over defaults.
 * Every problem is collected (key, where the value came from, what is expected) before one
 * {@link ConfigException} reports them all. Token values are never part of a message.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml");
    public static final String CONFIG_ENV = "HA_DIAG_CONFIG";

    /** A long-lived token is about 180 bytes; anything near this is not a token file. */
    private static final int MAX_TOKEN_FILE_BYTES = 64 * 1024;

    private static final Map<String, List<String>> CHECK_KEYS = Map.of(
            CheckNames.HEARTBEAT, List.of(),
            CheckNames.UNAVAILABLE_ENTITIES, List.of("threshold", "ignore.entities", "ignore.integrations", "ignore.devices",
                    "ignore.labels", "unknown_counts_for"),
            CheckNames.SYSTEM_HEALTH, List.of("min_duration", "ignore.integrations"),
            CheckNames.AUTOMATION_FAILURES, List.of("ignore.entities"),
            CheckNames.UPDATES_AVAILABLE, List.of("ignore.entities"),
            CheckNames.RECORDER, List.of("backlog_threshold"),
            CheckNames.REPAIRS, List.of("ignore.issues"));

    private final Map<String, String> env;
    private final Map<String, YamlSettingsFile.Raw> file;
    private final Set<String> used = new HashSet<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env, Map<String, YamlSettingsFile.Raw> file) {
        this.env = env;
        this.file = file;
    }

    /**
     * @param configOption the {@code --config} option, or null: then {@code HA_DIAG_CONFIG}, then the default
     *                     file if it exists. A file named explicitly must exist.
     * @param hostName     the default node name
     * @throws ConfigException listing every problem
     */
    public static AgentConfig load(Map<String, String> env, String configOption, Supplier<String> hostName) {
        return new ConfigLoader(env, fileValues(env, configOption)).build(hostName);
    }

    private static Map<String, YamlSettingsFile.Raw> fileValues(Map<String, String> env, String configOption) {
        String named = configOption != null ? configOption : nonBlank(env.get(CONFIG_ENV));
        String namedBy = configOption != null ? "--config" : "env " + CONFIG_ENV;
        if (named != null) {
            Path path;
            try {
                path = Path.of(named);
            } catch (InvalidPathException e) {
                throw new ConfigException(List.of(new ConfigProblem("config file", namedBy, "not a usable path: " + e.getReason())));
            }
            if (!Files.isRegularFile(path)) {
                throw new ConfigException(List.of(new ConfigProblem("config file", namedBy, path + " does not exist or is not a file")));
            }
            return YamlSettingsFile.read(path);
        }
        return Files.isRegularFile(DEFAULT_FILE) ? YamlSettingsFile.read(DEFAULT_FILE) : Map.of();
    }

    /** What the {@code events} commands need of the configuration: the event root and the node name, if set. */
    public record EventSettings(Path eventsDir, Optional<String> nodeName) {
    }

    /**
     * Reads only {@code events_dir} and {@code node_name} (env over file over default): the {@code events}
     * commands work without Home Assistant settings. Other keys are not checked here.
     */
    public static EventSettings eventSettings(Map<String, String> env, String configOption) {
        ConfigLoader loader = new ConfigLoader(env, fileValues(env, configOption));
        Path events = loader.path("events_dir", "HA_DIAG_EVENTS_DIR", Path.of("/opt/homelab/events"));
        Optional<String> node = loader.text("node_name", "NODE_NAME").map(v -> v.value);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return new EventSettings(events, node);
    }

    private AgentConfig build(Supplier<String> hostName) {
        String haUrl = haUrl();
        AccessToken token = token();
        String node = text("node_name", "NODE_NAME").map(v -> v.value).orElseGet(hostName);
        if (!Event.SAFE_NAME.matcher(node).matches()) {
            problems.add(new ConfigProblem("node_name", text("node_name", "NODE_NAME").map(v -> v.source).orElse("the host name"),
                    "'" + node + "' must match " + Event.SAFE_NAME.pattern() + " (it names a directory)"));
        }
        String location = text("location_tag", "LOCATION_TAG").map(v -> v.value).orElse("");
        Duration checkInterval = duration("check_interval", "CHECK_INTERVAL", Duration.ofSeconds(60), true);
        Path events = path("events_dir", "HA_DIAG_EVENTS_DIR", Path.of("/opt/homelab/events"));
        Path db = path("db_path", "HA_DIAG_DB", Path.of("/data/ha_diag.db"));
        String bind = text("http.bind", "HA_DIAG_BIND").map(v -> v.value).orElse("0.0.0.0");
        int port = (int) number("http.port", "HA_DIAG_PORT", 8087, 0, 65535);
        String apiToken = Optional.ofNullable(nonBlank(env.get("HA_DIAG_API_TOKEN"))).orElse("");
        if (file.containsKey("http.api_token")) {
            used.add("http.api_token");
            problems.add(new ConfigProblem("http.api_token", file.get("http.api_token").source(),
                    "tokens do not belong in the YAML file; set HA_DIAG_API_TOKEN"));
        }
        boolean remoteTrigger = bool("http.allow_remote_trigger", "HA_DIAG_ALLOW_REMOTE_TRIGGER", false);
        Duration repeat = duration("alerts.repeat_interval", null, Duration.ofHours(24), true);
        Duration minDuration = duration("alerts.min_duration", null, Duration.ZERO, false);
        Duration silence = duration("websocket.silence_timeout", null, Duration.ofMinutes(5), true);
        Duration grace = duration("websocket.grace", null, Duration.ofSeconds(10), false);
        Duration maxReconnect = duration("websocket.max_reconnect_delay", null, Duration.ofSeconds(1), true);
        Duration retention = duration("history.retention", null, Diagnostics.DEFAULT_HISTORY_RETENTION, true);
        Duration requestTimeout = duration("request_timeout", null, Duration.ofSeconds(30), true);
        LogSettings logging = new LogSettings(
                choice("log_format", "HA_DIAG_LOG_FORMAT", LogSettings.Format.class, LogSettings.Format.JSON),
                choice("log_level", "HA_DIAG_LOG_LEVEL", LogSettings.Level.class, LogSettings.Level.INFO),
                logbackFile());
        RelaySettings relay = relay(events, node, db);
        String maintenanceEntity = maintenanceEntity();

        Map<String, CheckSettings> checks = new LinkedHashMap<>();
        Duration integrationMin = duration("checks.system_health.min_duration", null, Duration.ofMinutes(10), false);
        for (String name : CheckNames.ALL) {
            String p = "checks." + name + ".";
            boolean enabled = bool(p + "enabled", true);
            Duration interval = duration(p + "interval", null, checkInterval, true);
            Duration threshold = name.equals(CheckNames.UNAVAILABLE_ENTITIES)
                    ? duration(p + "threshold", null, Duration.ofMinutes(15), false) : Duration.ZERO;
            IgnoreRules ignore = new IgnoreRules(checkList(name, "ignore.entities"), checkList(name, "ignore.integrations"),
                    checkList(name, "ignore.devices"), checkList(name, "ignore.labels"));
            long backlog = name.equals(CheckNames.RECORDER) ? number(p + "backlog_threshold", null, 1000, 0, Long.MAX_VALUE) : 1000;
            checks.put(name, new CheckSettings(enabled, interval, threshold, ignore, Set.copyOf(checkList(name, "unknown_counts_for")),
                    backlog, checkList(name, "ignore.issues")));
        }
        for (Map.Entry<String, YamlSettingsFile.Raw> entry : file.entrySet()) {
            if (!used.contains(entry.getKey())) {
                problems.add(new ConfigProblem(entry.getKey(), entry.getValue().source(), unknownKeyMessage(entry.getKey())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AgentConfig(haUrl, token, node, location, events, db, bind, port, apiToken, repeat, minDuration, integrationMin,
                silence, grace, maxReconnect, retention, requestTimeout, logging, relay, checks, remoteTrigger, maintenanceEntity);
    }

    // --- issue #16: maintenance from HA; the silence commands' database ---

    /**
     * The database the {@code silence} commands share with the agent: {@code db_path} (env {@code HA_DIAG_DB}, the file,
     * the default). Other keys are not checked here.
     */
    public static Path dbPath(Map<String, String> env, String configOption) {
        ConfigLoader loader = new ConfigLoader(env, fileValues(env, configOption));
        Path db = loader.path("db_path", "HA_DIAG_DB", Path.of("/data/ha_diag.db"));
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return db;
    }

    private static final java.util.regex.Pattern ENTITY_ID = java.util.regex.Pattern.compile("[a-z0-9_]+\\.[a-z0-9_]+");

    /** {@code maintenance_entity}: an entity id (e.g. an {@code input_boolean}), or empty for none. */
    private String maintenanceEntity() {
        Optional<Value> entity = text("maintenance_entity", "HA_DIAG_MAINTENANCE_ENTITY");
        if (entity.isPresent() && !ENTITY_ID.matcher(entity.get().value.trim()).matches()) {
            problems.add(new ConfigProblem("maintenance_entity", entity.get().source,
                    "'" + entity.get().value + "' is not an entity id like input_boolean.maintenance"));
            return "";
        }
        return entity.map(v -> v.value.trim()).orElse("");
    }

    private static String unknownKeyMessage(String key) {
        if (key.startsWith("checks.")) {
            String[] parts = key.split("\\.", 3);
            if (parts.length >= 2 && !CHECK_KEYS.containsKey(parts[1])) {
                return "unknown check; checks are " + String.join(", ", CheckNames.ALL);
            }
            if (parts.length == 3) {
                List<String> valid = new ArrayList<>(List.of("enabled", "interval"));
                valid.addAll(CHECK_KEYS.get(parts[1]));
                return "unknown setting of " + parts[1] + "; it has " + String.join(", ", valid);
            }
        }
        return "unknown setting (docs/configuration.md lists them all)";
    }

    // --- the ones with rules of their own ---

    private <E extends Enum<E>> E choice(String key, String envName, Class<E> type, E fallback) {
        return text(key, envName).map(v -> {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(v.value.trim())) {
                    return value;
                }
            }
            problems.add(new ConfigProblem(key, v.source, "'" + v.value + "' is not one of "
                    + String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList())));
            return fallback;
        }).orElse(fallback);
    }

    /**
     * What the {@code relay} command needs: the events tree, the node, the state file and the destinations (env over
     * file over default). Other keys are not checked here: the relay runs without Home Assistant settings.
     *
     * @throws ConfigException listing every problem, or when there is no destination at all
     */
    public static RelaySettings relaySettings(Map<String, String> env, String configOption, Supplier<String> hostName) {
        ConfigLoader loader = new ConfigLoader(env, fileValues(env, configOption));
        Path events = loader.path("events_dir", "HA_DIAG_EVENTS_DIR", Path.of("/opt/homelab/events"));
        String node = loader.text("node_name", "NODE_NAME").map(v -> v.value).orElseGet(hostName);
        Path db = loader.path("db_path", "HA_DIAG_DB", Path.of("/data/ha_diag.db"));
        RelaySettings relay = loader.relay(events, node, db);
        if (loader.problems.isEmpty() && !relay.hasDestination()) {
            loader.problems.add(new ConfigProblem("mqtt.url", "env HA_DIAG_MQTT_URL",
                    "nothing to relay to: set mqtt.url (HA_DIAG_MQTT_URL, --mqtt-url) or notify.webhook.url (HA_DIAG_WEBHOOK_URL, --webhook-url)"));
        }
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(loader.problems);
        }
        return relay;
    }

    private RelaySettings relay(Path events, String node, Path db) {
        refuseSecretInFile("mqtt.password", "HA_DIAG_MQTT_PASSWORD");
        refuseSecretInFile("notify.webhook.token", "HA_DIAG_WEBHOOK_TOKEN");
        MqttSettings mqtt = null;
        Optional<Value> mqttUrl = text("mqtt.url", "HA_DIAG_MQTT_URL");
        String username = text("mqtt.username", "HA_DIAG_MQTT_USERNAME").map(v -> v.value).orElse("");
        String prefix = text("mqtt.topic_prefix", "HA_DIAG_MQTT_TOPIC_PREFIX").map(v -> v.value).orElse(MqttSettings.DEFAULT_PREFIX);
        String clientId = text("mqtt.client_id", null).map(v -> v.value).orElse("ha-diag-" + node);
        if (mqttUrl.isPresent()) {
            try {
                mqtt = new MqttSettings(new URI(mqttUrl.get().value), username,
                        Optional.ofNullable(nonBlank(env.get("HA_DIAG_MQTT_PASSWORD"))).orElse(""), prefix, clientId);
            } catch (URISyntaxException | IllegalArgumentException e) {
                problems.add(new ConfigProblem("mqtt.url", mqttUrl.get().source, "expected mqtt://host[:port] or mqtts://host[:port] ("
                        + (e instanceof URISyntaxException syntax ? syntax.getReason() : e.getMessage()) + ")"));
            }
        }
        WebhookSettings webhook = null;
        Optional<Value> webhookUrl = text("notify.webhook.url", "HA_DIAG_WEBHOOK_URL");
        WebhookSettings.Format format = choice("notify.webhook.format", "HA_DIAG_WEBHOOK_FORMAT", WebhookSettings.Format.class,
                WebhookSettings.Format.JSON);
        Severity minSeverity = choice("notify.webhook.min_severity", null, Severity.class, Severity.INFO);
        List<String> types = list("notify.webhook.types");
        if (webhookUrl.isPresent()) {
            try {
                webhook = new WebhookSettings(new URI(webhookUrl.get().value), format, minSeverity, types,
                        Optional.ofNullable(nonBlank(env.get("HA_DIAG_WEBHOOK_TOKEN"))).orElse(""));
            } catch (URISyntaxException | IllegalArgumentException e) {
                problems.add(new ConfigProblem("notify.webhook.url", webhookUrl.get().source, "expected an http:// or https:// URL ("
                        + (e instanceof URISyntaxException syntax ? syntax.getReason() : e.getMessage()) + ")"));
            }
        }
        Path defaultState = db.toAbsolutePath().getParent() == null ? Path.of("ha_diag_relay.db")
                : db.toAbsolutePath().getParent().resolve("ha_diag_relay.db");
        Path state = path("relay.state_db", "HA_DIAG_RELAY_DB", defaultState);
        Duration poll = duration("relay.poll", null, Duration.ofSeconds(1), true);
        return new RelaySettings(events, node, state, mqtt, webhook, poll);
    }

    private void refuseSecretInFile(String key, String envName) {
        if (file.containsKey(key)) {
            used.add(key);
            problems.add(new ConfigProblem(key, file.get(key).source(), "secrets do not belong in the YAML file; set " + envName));
        }
    }

    /** The operator's own logback file: it must be there when the agent starts, or logging would silently stop. */
    private String logbackFile() {
        String named = nonBlank(env.get("HA_DIAG_LOGBACK"));
        if (named == null) {
            return "";
        }
        try {
            if (Files.isRegularFile(Path.of(named)) && Files.isReadable(Path.of(named))) {
                return named;
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        problems.add(new ConfigProblem("logback file", "env HA_DIAG_LOGBACK", named + " is not a readable file"));
        return "";
    }

    private String haUrl() {
        Optional<Value> value = text("ha_url", "HA_URL");
        if (value.isEmpty()) {
            problems.add(new ConfigProblem("ha_url", "env HA_URL", "required: Home Assistant's base URL, e.g. http://homeassistant.local:8123"));
            return "";
        }
        String url = value.get().value;
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                problems.add(new ConfigProblem("ha_url", value.get().source, "expected an http:// or https:// URL with a host"));
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add(new ConfigProblem("ha_url", value.get().source,
                        "expected a base URL without user, query or fragment (the token goes in HA_TOKEN)"));
            }
        } catch (URISyntaxException e) {
            problems.add(new ConfigProblem("ha_url", value.get().source, "not a URL: " + e.getReason()));
        }
        return url.replaceAll("/+$", "");
    }

    private AccessToken token() {
        if (file.containsKey("ha_token")) {
            used.add("ha_token");
            problems.add(new ConfigProblem("ha_token", file.get("ha_token").source(),
                    "tokens do not belong in the YAML file; set HA_TOKEN, or HA_TOKEN_FILE / ha_token_file"));
        }
        String direct = nonBlank(env.get("HA_TOKEN"));
        if (direct != null) {
            return tokenOrProblem(direct.strip(), "ha_token", "env HA_TOKEN", "HA_TOKEN");
        }
        Optional<Value> tokenFile = text("ha_token_file", "HA_TOKEN_FILE");
        if (tokenFile.isEmpty()) {
            problems.add(new ConfigProblem("ha_token", "env HA_TOKEN", "required: a long-lived access token of Home Assistant "
                    + "(HA_TOKEN, or a file named by HA_TOKEN_FILE)"));
            return null;
        }
        String name = tokenFile.get().value;
        String source = tokenFile.get().source;
        try {
            Path path = Path.of(name);
            // A FIFO or a device would block the start or never end: only a regular file (or a link to one, as
            // Kubernetes mounts secrets) is read, and only up to a size no token comes near.
            if (!Files.isRegularFile(path)) {
                problems.add(new ConfigProblem("ha_token_file", source, "HA_TOKEN_FILE " + name
                        + (Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? " is not a regular file (nor a link to one)" : " does not exist")));
                return null;
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_TOKEN_FILE_BYTES) {
                problems.add(new ConfigProblem("ha_token_file", source, "HA_TOKEN_FILE " + name + " is larger than "
                        + MAX_TOKEN_FILE_BYTES / 1024 + " KiB; it must hold the token alone"));
                return null;
            }
            return tokenOrProblem(withoutOneTrailingNewline(new String(bytes, StandardCharsets.ISO_8859_1)), "ha_token_file", source,
                    "HA_TOKEN_FILE " + name);
        } catch (IOException | InvalidPathException e) {
            problems.add(new ConfigProblem("ha_token_file", source,
                    "cannot read HA_TOKEN_FILE " + name + " (" + e.getClass().getSimpleName() + ")"));
            return null;
        }
    }

    /** A token file may end in one newline, as editors and {@code echo} write it; nothing else is trimmed. */
    private static String withoutOneTrailingNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    /**
     * The token, or a problem naming where it came from. HA's tokens are printable ASCII without spaces: any
     * other character (a second line, a space, a BOM) would make every HTTP header invalid and send HA a
     * wrong token. The message never shows the content.
     */
    private AccessToken tokenOrProblem(String token, String key, String source, String what) {
        if (token.isEmpty()) {
            problems.add(new ConfigProblem(key, source, what + " is empty"));
            return null;
        }
        int lines = token.split("\r\n|\r|\n", -1).length;
        if (lines > 1) {
            problems.add(new ConfigProblem(key, source, what + " has " + lines + " lines; it must hold the token alone on one line "
                    + "(one trailing newline is allowed)"));
            return null;
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            problems.add(new ConfigProblem(key, source, what + " holds characters a token cannot have (spaces, control characters "
                    + "or non-ASCII); it must hold the token alone"));
            return null;
        }
        return new AccessToken(token);
    }

    // --- typed lookups ---

    private record Value(String value, String source) {
    }

    private Optional<Value> text(String key, String envName) {
        used.add(key);
        if (envName != null) {
            String fromEnv = nonBlank(env.get(envName));
            if (fromEnv != null) {
                return Optional.of(new Value(fromEnv, "env " + envName));
            }
        }
        YamlSettingsFile.Raw raw = file.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.isList()) {
            problems.add(new ConfigProblem(key, raw.source(), "expected a single value, found a list"));
            return Optional.empty();
        }
        return raw.text().isBlank() ? Optional.empty() : Optional.of(new Value(raw.text().trim(), raw.source()));
    }

    private <T> T typed(String key, String envName, T fallback, Function<String, Optional<T>> parse, String expected) {
        Optional<Value> value = text(key, envName);
        if (value.isEmpty()) {
            return fallback;
        }
        Optional<T> parsed = parse.apply(value.get().value);
        if (parsed.isEmpty()) {
            problems.add(new ConfigProblem(key, value.get().source, "'" + value.get().value + "' is not " + expected));
            return fallback;
        }
        return parsed.get();
    }

    private Duration duration(String key, String envName, Duration fallback, boolean positive) {
        return typed(key, envName, fallback, v -> Durations.parse(v).filter(d -> !positive || !d.isZero()),
                positive ? "a positive duration (90s, 15m, 24h, or seconds)" : "a duration (0s, 90s, 15m, 24h, or seconds)");
    }

    private long number(String key, String envName, long fallback, long min, long max) {
        return typed(key, envName, fallback, v -> {
            try {
                long n = Long.parseLong(v);
                return n < min || n > max ? Optional.empty() : Optional.of(n);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }, "a whole number from " + min + " to " + max);
    }

    private boolean bool(String key, boolean fallback) {
        return bool(key, null, fallback);
    }

    private boolean bool(String key, String envName, boolean fallback) {
        return typed(key, envName, fallback, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Optional.of(true);
            case "false", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        }, "true or false");
    }

    private Path path(String key, String envName, Path fallback) {
        return typed(key, envName, fallback, v -> {
            try {
                return Optional.of(Path.of(v));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }, "a usable path");
    }

    private List<String> checkList(String check, String field) {
        return CHECK_KEYS.get(check).contains(field) ? list("checks." + check + "." + field) : List.of();
    }

    /** A YAML list, or one comma-separated value. */
    private List<String> list(String key) {
        used.add(key);
        YamlSettingsFile.Raw raw = file.get(key);
        if (raw == null) {
            return List.of();
        }
        List<String> items = raw.isList() ? raw.items() : Arrays.asList(raw.text().split(","));
        return items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
