package dev.hadiag.app.config;

import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.core.check.BuiltInCheck;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the {@link AgentConfig}: environment variables win over the YAML file, which wins over defaults.
 * Every problem is collected (key, where the value came from, what is expected) before one
 * {@link ConfigException} reports them all. Token values are never part of a message.
 *
 * <p>The jobs are split: which file ({@link #load}), where each value comes from ({@link ConfigSource}), typed
 * values with their defaults ({@link ConfigReader}), the schema (each section's record reads its own keys:
 * {@link AgentConfig#read}, {@link Checks}, {@link CheckSettings}), the rules of HA's URL and token
 * ({@link HomeAssistantAccess}), and here what is left in the file that nothing asked for.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml");
    public static final String CONFIG_ENV = "HA_DIAG_CONFIG";

    private ConfigLoader() {
    }

    /**
     * @param configOption the {@code --config} option, or null: then {@code HA_DIAG_CONFIG}, then the default
     *                     file if it exists. A file named explicitly must exist.
     * @param hostName     the default node name
     * @throws ConfigException listing every problem
     */
    public static AgentConfig load(Map<String, String> env, String configOption, Supplier<String> hostName) {
        ConfigSource source = new ConfigSource(env, fileValues(env, configOption));
        AgentConfig config = AgentConfig.read(new ConfigReader(source), hostName);
        source.unaskedFileKeys().forEach((key, where) -> source.problem(key, where, unknownKeyMessage(key, source)));
        return valid(source, config);
    }

    /**
     * One setting's effective value and where it came from, for {@code config check}.
     *
     * @param key    the YAML key, or the environment variable of a setting that has none ({@code HA_DIAG_API_TOKEN})
     * @param env    its environment variable, or "" when it has none
     * @param value  as the file would write it; a secret shows only {@code (set, not shown)} or {@code (unset)}
     * @param origin {@code env X}, {@code file:line}, {@code --option}, or {@code default}
     */
    public record Setting(String key, String env, String value, String origin) {
    }

    /**
     * What {@code config check} reports: the file read (or why none), every setting with its origin, and every problem.
     *
     * @param file the YAML file and what named it, or that there is none
     */
    public record ConfigCheck(String file, List<Setting> settings, List<ConfigProblem> problems) {
        public ConfigCheck {
            settings = List.copyOf(settings);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads the whole configuration as {@link #load} does, without starting anything or contacting HA (only a token or CA
     * file it names is read), and never throws for a problem: they are all in the answer, beside what each setting is.
     */
    public static ConfigCheck check(Map<String, String> env, String configOption, Supplier<String> hostName) {
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        Map<String, YamlSettingsFile.Raw> values;
        try {
            values = fileValues(env, configOption);
        } catch (ConfigException e) {
            values = Map.of();
            problems.addAll(e.problems());
        }
        ConfigSource source = new ConfigSource(env, values);
        AgentConfig.read(new ConfigReader(source), hostName);
        source.unaskedFileKeys().forEach((key, where) -> source.problem(key, where, unknownKeyMessage(key, source)));
        problems.addAll(source.problems());
        return new ConfigCheck(describeFile(env, configOption), source.effective(), problems);
    }

    private static String describeFile(Map<String, String> env, String configOption) {
        String fromEnv = env.get(CONFIG_ENV);
        if (configOption != null) {
            return configOption + " (--config)";
        }
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim() + " (env " + CONFIG_ENV + ")";
        }
        return Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE + " (the default path)"
                : "none (" + DEFAULT_FILE + ", the default path, does not exist): environment and defaults only";
    }

    /**
     * What the {@code events} commands need of the configuration: the event root and the node name, if set.
     *
     * @param nodeNameOrEmpty {@code node_name} as set; empty when it is not (read it with {@link #nodeName()})
     */
    public record EventSettings(Path eventsDir, String nodeNameOrEmpty) {
        public EventSettings {
            nodeNameOrEmpty = nodeNameOrEmpty == null ? "" : nodeNameOrEmpty;
        }

        /** {@code node_name}, if set. */
        public Optional<String> nodeName() {
            return nodeNameOrEmpty.isEmpty() ? Optional.empty() : Optional.of(nodeNameOrEmpty);
        }
    }

    /**
     * Reads only {@code events_dir} and {@code node_name} (env over file over default): the {@code events}
     * commands work without Home Assistant settings. Other keys are not checked here.
     */
    public static EventSettings eventSettings(Map<String, String> env, String configOption) {
        ConfigSource source = new ConfigSource(env, fileValues(env, configOption));
        ConfigReader reader = new ConfigReader(source);
        Path events = reader.path("events_dir", "HA_DIAG_EVENTS_DIR", AgentConfig.DEFAULT_EVENTS_DIR);
        String node = reader.text("node_name", "NODE_NAME").map(ConfigSource.Value::value).orElse("");
        return valid(source, new EventSettings(events, node));
    }

    /** A command-line option standing in for a key: a bad value is blamed on the option, not on an environment variable. */
    public record OptionValue(String option, String value) {
    }

    /**
     * What the {@code relay} command needs: the events tree, the node, the state file and the destinations (option over
     * env over file over default). Other keys are not checked here: the relay runs without Home Assistant settings.
     *
     * @param options the command's options by the key they set ({@code mqtt.url} for {@code --mqtt-url})
     * @throws ConfigException listing every problem, or when there is no destination at all
     */
    public static RelaySettings relaySettings(Map<String, String> env, String configOption, Map<String, OptionValue> options,
            Supplier<String> hostName) {
        Map<String, ConfigSource.Value> given = new java.util.LinkedHashMap<>();
        options.forEach((key, option) -> given.put(key, new ConfigSource.Value(option.value(), option.option())));
        ConfigSource source = new ConfigSource(env, fileValues(env, configOption), given);
        ConfigReader reader = new ConfigReader(source);
        Path events = reader.path("events_dir", "HA_DIAG_EVENTS_DIR", AgentConfig.DEFAULT_EVENTS_DIR);
        String node = reader.text("node_name", "NODE_NAME").map(ConfigSource.Value::value).orElseGet(hostName);
        Path db = reader.path("db_path", "HA_DIAG_DB", AgentConfig.DEFAULT_DB);
        RelaySettings relay = RelayConfig.read(reader, events, node, db);
        if (source.problems().isEmpty() && !relay.hasDestination()) {
            source.problem("mqtt.url", "not set",
                    "nothing to relay to: set mqtt.url (HA_DIAG_MQTT_URL, --mqtt-url) or notify.webhook.url (HA_DIAG_WEBHOOK_URL, --webhook-url)");
        }
        return valid(source, relay);
    }

    /**
     * What the {@code fleet} command needs: the broker ({@code mqtt.*}), the fleet's node and events tree, where it serves
     * ({@code http.bind}, {@code http.port}) and {@code fleet.*}. Other keys are not checked here: no Home Assistant.
     *
     * @throws ConfigException listing every problem, or when no broker is set
     */
    public static dev.hadiag.app.fleet.FleetSettings fleetSettings(Map<String, String> env, String configOption,
            Map<String, OptionValue> options, Supplier<String> hostName) {
        Map<String, ConfigSource.Value> given = new java.util.LinkedHashMap<>();
        options.forEach((key, option) -> given.put(key, new ConfigSource.Value(option.value(), option.option())));
        ConfigSource source = new ConfigSource(env, fileValues(env, configOption), given);
        ConfigReader reader = new ConfigReader(source);
        Path events = reader.path("events_dir", "HA_DIAG_EVENTS_DIR", AgentConfig.DEFAULT_EVENTS_DIR);
        String node = AgentConfig.nodeName(reader, hostName);
        Path db = reader.path("db_path", "HA_DIAG_DB", AgentConfig.DEFAULT_DB);
        RelaySettings relay = RelayConfig.read(reader, events, node, db);
        HttpSettings http = HttpSettings.read(reader);
        FleetConfig fleet = FleetConfig.read(reader);
        if (source.problems().isEmpty() && relay.mqtt().isEmpty()) {
            source.problem("mqtt.url", "not set", "the fleet reads a broker: set mqtt.url (HA_DIAG_MQTT_URL, --mqtt-url)");
        }
        if (!source.problems().isEmpty()) {
            throw new ConfigException(source.problems());
        }
        return fleet.settings(relay.mqtt().get(), node, events, http.bind(), http.port());
    }

    /**
     * The database the {@code silence} commands share with the agent: {@code db_path} (env {@code HA_DIAG_DB}, the
     * file, the default). Other keys are not checked here.
     */
    public static Path dbPath(Map<String, String> env, String configOption) {
        ConfigSource source = new ConfigSource(env, fileValues(env, configOption));
        return valid(source, new ConfigReader(source).path("db_path", "HA_DIAG_DB", AgentConfig.DEFAULT_DB));
    }

    private static <T> T valid(ConfigSource source, T settings) {
        if (!source.problems().isEmpty()) {
            throw new ConfigException(source.problems());
        }
        return settings;
    }

    private static Map<String, YamlSettingsFile.Raw> fileValues(Map<String, String> env, String configOption) {
        String fromEnv = env.get(CONFIG_ENV);
        String named = configOption != null ? configOption : fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
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

    /** For a key nothing asked for: the checks there are, or the keys a check has (what its settings asked for). */
    private static String unknownKeyMessage(String key, ConfigSource source) {
        if (key.startsWith("checks.")) {
            String[] parts = key.split("\\.", 3);
            if (parts.length >= 2 && !BuiltInCheck.names().contains(parts[1])) {
                return "unknown check; checks are " + String.join(", ", BuiltInCheck.names());
            }
            if (parts.length == 3) {
                return "unknown setting of " + parts[1] + "; it has " + String.join(", ", source.askedUnder("checks." + parts[1] + "."));
            }
        }
        return "unknown setting (docs/configuration.md lists them all)";
    }
}
