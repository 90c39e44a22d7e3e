package dev.hadiag.app.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where values come from: an environment variable wins over the YAML file. Every value carries its provenance
 * ({@code env X} or {@code file:line}) for the messages; every key asked for is remembered, so that what the file
 * holds beyond them is reported as unknown; every problem is collected here.
 */
final class ConfigSource {

    /** A value as given, and where: {@code env HA_URL}, {@code /etc/ha-diag.yaml:12}. */
    record Value(String value, String source) {
    }

    private final Map<String, String> env;
    private final Map<String, YamlSettingsFile.Raw> file;
    private final Map<String, Value> options;
    private final Set<String> asked = new LinkedHashSet<>();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, ConfigLoader.Setting> effective = new LinkedHashMap<>();

    ConfigSource(Map<String, String> env, Map<String, YamlSettingsFile.Raw> file) {
        this(env, file, Map.of());
    }

    /** @param options a command's options by key ({@code mqtt.url} -> {@code --mqtt-url}'s value), which win over everything */
    ConfigSource(Map<String, String> env, Map<String, YamlSettingsFile.Raw> file, Map<String, Value> options) {
        this.env = env;
        this.file = file;
        this.options = Map.copyOf(options);
    }

    /** A single value: a command's option, then {@code envName} (null for none), then the file; blank counts as not set. */
    Optional<Value> text(String key, String envName) {
        asked.add(key);
        Value option = options.get(key);
        if (option != null && !option.value().isBlank()) {
            return Optional.of(new Value(option.value().trim(), option.source()));
        }
        if (envName != null) {
            Optional<String> fromEnv = env(envName);
            if (fromEnv.isPresent()) {
                return Optional.of(new Value(fromEnv.get(), "env " + envName));
            }
        }
        YamlSettingsFile.Raw raw = file.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.isList()) {
            problem(key, raw.source(), "expected a single value, found a list");
            return Optional.empty();
        }
        return raw.text().isBlank() ? Optional.empty() : Optional.of(new Value(raw.text().trim(), raw.source()));
    }

    /** A YAML list, or one comma-separated value; only the file has lists. */
    List<String> list(String key) {
        return list(key, List.of());
    }

    /** As {@link #list(String)}, with {@code fallback} when the file does not have the key at all ({@code []} is empty). */
    List<String> list(String key, List<String> fallback) {
        asked.add(key);
        YamlSettingsFile.Raw raw = file.get(key);
        if (raw == null) {
            effective(key, null, "[" + String.join(", ", fallback) + "]", "default");
            return fallback;
        }
        List<String> items = raw.isList() ? raw.items() : Arrays.asList(raw.text().split(","));
        List<String> trimmed = items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        effective(key, null, "[" + String.join(", ", trimmed) + "]", raw.source());
        return trimmed;
    }

    /** An environment variable only, trimmed; blank counts as not set. For secrets, which the file may not hold. */
    Optional<String> env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A key the file must not hold (a secret): a problem naming the variable to use instead, if the file has it. */
    void refuseInFile(String key, String message) {
        asked.add(key);
        YamlSettingsFile.Raw raw = file.get(key);
        if (raw != null) {
            problem(key, raw.source(), message);
        }
    }

    /**
     * Notes what a key ended up as and where that came from ({@code config check} prints it); a later note of the same
     * key replaces the earlier (a reader notes "unset", then the fallback it chose). Never given a secret's value.
     */
    void effective(String key, String envName, String value, String origin) {
        effective.put(key, new ConfigLoader.Setting(key, envName == null ? "" : envName, value, origin));
    }

    /** Every key's effective value so far, in the order first asked. */
    List<ConfigLoader.Setting> effective() {
        return List.copyOf(effective.values());
    }

    void problem(String key, String source, String message) {
        problems.add(new ConfigProblem(key, source, message));
    }

    List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** The keys asked for so far that start with {@code prefix}, in the order asked, without it. */
    List<String> askedUnder(String prefix) {
        return asked.stream().filter(key -> key.startsWith(prefix)).map(key -> key.substring(prefix.length())).toList();
    }

    /** What the file holds that nobody asked for, with where it is. */
    Map<String, String> unaskedFileKeys() {
        Map<String, String> unasked = new LinkedHashMap<>();
        file.forEach((key, raw) -> {
            if (!asked.contains(key)) {
                unasked.put(key, raw.source());
            }
        });
        return unasked;
    }
}
