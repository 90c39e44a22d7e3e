package dev.hadiag.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/ha-diag-agent.example.yaml holds every setting the agent reads, each at its default: it cannot drift. */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("..", "deploy", "ha-diag-agent.example.yaml");
    private static final Map<String, String> ENV = Map.of("HA_URL", "http://ha.local:8123", "HA_TOKEN", "t0ken");

    @TempDir
    Path dir;

    private static Map<String, String> values(ConfigLoader.ConfigCheck check) {
        Map<String, String> values = new LinkedHashMap<>();
        check.settings().forEach(setting -> values.put(setting.key(), setting.value()));
        return values;
    }

    /** The keys a YAML file may hold: every setting but those of the environment only (secrets, HA_DIAG_LOGBACK). */
    private static List<String> fileKeys(ConfigLoader.ConfigCheck check) {
        return check.settings().stream().map(ConfigLoader.Setting::key)
                .filter(key -> !key.equals("ha_token") && !key.matches("[A-Z0-9_]+")).toList();
    }

    @Test
    void the_example_is_valid_and_every_value_in_it_is_the_default() throws Exception {
        ConfigLoader.ConfigCheck defaults = ConfigLoader.check(ENV, Files.writeString(dir.resolve("empty.yaml"), "").toString(), () -> "host");
        ConfigLoader.ConfigCheck example = ConfigLoader.check(ENV, EXAMPLE.toString(), () -> "host");
        assertThat(example.problems()).isEmpty();
        assertThat(values(example)).isEqualTo(values(defaults));
    }

    @Test
    void every_setting_of_the_agent_is_in_the_example_and_nothing_else() {
        ConfigLoader.ConfigCheck example = ConfigLoader.check(ENV, EXAMPLE.toString(), () -> "host");
        assertThat(YamlSettingsFile.read(EXAMPLE).keySet()).containsExactlyInAnyOrderElementsOf(fileKeys(example));
    }

    @Test
    void a_token_file_in_the_yaml_beside_HA_TOKEN_is_a_known_key_and_HA_TOKEN_wins() throws Exception {
        Path yaml = Files.writeString(dir.resolve("with-file.yaml"), "ha_token_file: " + dir.resolve("missing-token") + "\n");
        ConfigLoader.ConfigCheck check = ConfigLoader.check(ENV, yaml.toString(), () -> "host");
        assertThat(check.problems()).isEmpty();
        assertThat(check.settings()).filteredOn(s -> s.key().equals("ha_token")).singleElement()
                .satisfies(s -> assertThat(s.origin()).isEqualTo("env HA_TOKEN"));
    }

    @Test
    void every_key_of_the_example_comes_with_a_comment_on_it_or_its_section() throws Exception {
        List<String> lines = Files.readAllLines(EXAMPLE);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.matches("[a-z_]+:.*") && !line.endsWith(":")) {
                assertThat(lines.get(i - 1)).as("the comment above line " + (i + 1) + ": " + line).startsWith("#");
            }
        }
    }
}
