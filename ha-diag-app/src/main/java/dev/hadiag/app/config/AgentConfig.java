package dev.hadiag.app.config;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.ha.AccessToken;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The agent's whole configuration, validated: the top-level keys here, each section in a record of its own that
 * reads its keys ({@link HttpSettings}, {@link AlertSettings}, {@link WebSocketSettings}, {@link Checks}). See
 * docs/configuration.md for every key.
 */
public record AgentConfig(String haUrl, AccessToken haToken, String nodeName, String locationTag, Path eventsDir, Path dbPath,
        Duration historyRetention, Duration requestTimeout, HttpSettings http, AlertSettings alerts, WebSocketSettings websocket,
        LogSettings logging, RelaySettings relay, Checks checks, String maintenanceEntity, List<X509Certificate> haCaCertificates,
        Duration eventsRetention, FleetConfig fleet) {

    private static final Pattern ENTITY_ID = Pattern.compile("[a-z0-9_]+\\.[a-z0-9_]+");

    static final Path DEFAULT_EVENTS_DIR = Path.of("/opt/homelab/events");
    static final Path DEFAULT_DB = Path.of("/data/ha_diag.db");

    /** The schema of the whole file, in the order problems are reported. */
    static AgentConfig read(ConfigReader reader, Supplier<String> hostName) {
        String haUrl = HomeAssistantAccess.url(reader);
        AccessToken token = HomeAssistantAccess.token(reader);
        List<X509Certificate> haCa = HomeAssistantAccess.caCertificates(reader);
        String node = nodeName(reader, hostName);
        String location = reader.text("location_tag", "LOCATION_TAG", "");
        Duration checkInterval = reader.duration("check_interval", "CHECK_INTERVAL", Duration.ofSeconds(60));
        Path events = reader.path("events_dir", "HA_DIAG_EVENTS_DIR", DEFAULT_EVENTS_DIR);
        Path db = reader.path("db_path", "HA_DIAG_DB", DEFAULT_DB);
        HttpSettings http = HttpSettings.read(reader);
        AlertSettings alerts = AlertSettings.read(reader);
        WebSocketSettings websocket = WebSocketSettings.read(reader);
        Duration retention = reader.duration("history.retention", null, Diagnostics.DEFAULT_HISTORY_RETENTION);
        Duration eventsRetention = eventsRetention(reader);
        Duration requestTimeout = reader.duration("request_timeout", null, Duration.ofSeconds(30));
        LogSettings logging = new LogSettings(
                reader.choice("log_format", "HA_DIAG_LOG_FORMAT", LogSettings.Format.class, LogSettings.Format.JSON),
                reader.choice("log_level", "HA_DIAG_LOG_LEVEL", LogSettings.Level.class, LogSettings.Level.INFO),
                logbackFile(reader.source()));
        RelaySettings relay = RelayConfig.read(reader, events, node, db);
        Checks checks = Checks.read(reader, checkInterval);
        FleetConfig fleet = FleetConfig.read(reader);
        if (fleet.enabled() && relay.mqtt().isEmpty()) {
            reader.source().problem("fleet.enabled", "fleet.enabled", "the fleet view reads a broker: set mqtt.url (HA_DIAG_MQTT_URL) too");
        }
        return new AgentConfig(haUrl, token, node, location, events, db, retention, requestTimeout, http, alerts, websocket, logging, relay,
                checks, maintenanceEntity(reader), haCa, eventsRetention, fleet);
    }

    /** {@code events.retention}: 0 (the default) keeps the tree forever; else at least a day, as {@code events prune} asks. */
    static Duration eventsRetention(ConfigReader reader) {
        Duration retention = reader.durationOrZero("events.retention", "HA_DIAG_EVENTS_RETENTION", Duration.ZERO);
        if (!retention.isZero() && retention.compareTo(Duration.ofDays(1)) < 0) {
            String from = reader.text("events.retention", "HA_DIAG_EVENTS_RETENTION").map(ConfigSource.Value::source).orElse("default");
            reader.source().problem("events.retention", from, "'" + Durations.format(retention) + "' is less than a day; 0s keeps every event");
            return Duration.ZERO;
        }
        return retention;
    }

    public AgentConfig {
        haCaCertificates = List.copyOf(haCaCertificates);
    }

    /** {@code maintenance_entity}: an entity id (e.g. an {@code input_boolean}) whose state {@code on} silences every alert, or empty. */
    static String maintenanceEntity(ConfigReader reader) {
        Optional<ConfigSource.Value> entity = reader.text("maintenance_entity", "HA_DIAG_MAINTENANCE_ENTITY");
        if (entity.isPresent() && !ENTITY_ID.matcher(entity.get().value().trim()).matches()) {
            reader.source().problem("maintenance_entity", entity.get().source(),
                    "'" + entity.get().value() + "' is not an entity id like input_boolean.maintenance");
            return "";
        }
        return entity.map(v -> v.value().trim()).orElse("");
    }

    /** The node name names a directory of the event tree: it must be a safe name, whether set or the host's. */
    static String nodeName(ConfigReader reader, Supplier<String> hostName) {
        Optional<ConfigSource.Value> set = reader.text("node_name", "NODE_NAME");
        String node = set.map(ConfigSource.Value::value).orElseGet(hostName);
        if (set.isEmpty()) {
            reader.effective("node_name", "NODE_NAME", node, "default (the host name)");
        }
        if (!Event.SAFE_NAME.matcher(node).matches()) {
            reader.source().problem("node_name", set.map(ConfigSource.Value::source).orElse("the host name"),
                    "'" + node + "' must match " + Event.SAFE_NAME.pattern() + " (it names a directory)");
        }
        return node;
    }

    /** The operator's own logback file: it must be there when the agent starts, or logging would silently stop. */
    private static String logbackFile(ConfigSource source) {
        Optional<String> named = source.env("HA_DIAG_LOGBACK");
        source.effective("HA_DIAG_LOGBACK", "HA_DIAG_LOGBACK", named.orElse("(unset: the bundled configuration)"),
                named.isPresent() ? "env HA_DIAG_LOGBACK" : "default");
        if (named.isEmpty()) {
            return "";
        }
        try {
            if (Files.isRegularFile(Path.of(named.get())) && Files.isReadable(Path.of(named.get()))) {
                return named.get();
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        source.problem("logback file", "env HA_DIAG_LOGBACK", named.get() + " is not a readable file");
        return "";
    }

    /** The fleet view {@code run} serves beside its own work ({@code fleet.enabled}), on {@code fleet.port}. */
    public Optional<dev.hadiag.app.fleet.FleetSettings> fleetBesideAgent() {
        if (!fleet.enabled() || relay.mqtt().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fleet.settings(relay.mqtt().get(), nodeName, eventsDir, http.bind(), fleet.port()));
    }

    public Checks.Schedule check(String name) {
        return checks.schedule(name);
    }

    @Override
    public String toString() {
        // Never the tokens: records print every component by default.
        return "AgentConfig[haUrl=" + haUrl + ", nodeName=" + nodeName + ", eventsDir=" + eventsDir + ", dbPath=" + dbPath + ", http=" + http
                + "]";
    }
}
