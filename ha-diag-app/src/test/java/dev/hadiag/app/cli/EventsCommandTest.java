package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsCommandTest {

    static final Instant NOW = Instant.parse("2026-06-03T17:19:34.123Z");
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path root;

    Map<String, String> env() {
        return Map.of("HA_DIAG_EVENTS_DIR", root.toString(), "NODE_NAME", "piha");
    }

    CliRun emit(Map<String, String> env, Instant at, String... extra) {
        List<String> args = new ArrayList<>(List.of("events", "emit", "--type", "ha_websocket_dead", "--severity", "error",
                "--source", "ha-diag-agent", "--service", "homeassistant", "--correlation-id", "cid-1"));
        args.addAll(List.of(extra));
        return CliRun.run(env, at, args.toArray(String[]::new));
    }

    List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void emit_writes_one_event_file_and_prints_its_path() throws IOException {
        CliRun run = emit(env(), NOW, "--payload", "{\"check\": \"heartbeat\", \"attempts\": 3}");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        Path file = Path.of(run.out().trim());
        assertThat(file).isRegularFile().startsWith(root.resolve("2026-06-03/piha"));
        assertThat(file.getFileName().toString()).startsWith("20260603T171934.123Z_ha_websocket_dead_").endsWith(".json");
        JsonNode written = json.readTree(file.toFile());
        assertThat(written.get("node").asText()).isEqualTo("piha");
        assertThat(written.get("timestamp").asText()).isEqualTo("2026-06-03T17:19:34.123Z");
        assertThat(written.get("payload").get("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void emit_defaults_payload_to_an_empty_object_and_takes_dir_and_node_as_options() throws IOException {
        Path other = Files.createDirectories(root.resolve("other"));
        CliRun run = emit(Map.of(), NOW, "--events-dir", other.toString(), "--node", "chelsty-infra");

        assertThat(run.exitCode()).isZero();
        JsonNode written = json.readTree(Path.of(run.out().trim()).toFile());
        assertThat(written.get("node").asText()).isEqualTo("chelsty-infra");
        assertThat(written.get("payload").isEmpty()).isTrue();
        assertThat(Path.of(run.out().trim())).startsWith(other);
    }

    @Test
    void bad_input_exits_2_with_one_line_naming_the_problem_and_writes_nothing() throws IOException {
        record Case(String[] args, String message) { }
        List<Case> cases = List.of(
                new Case(new String[] {"--severity", "fatal"}, "info|warning|error|critical"),
                new Case(new String[] {"--payload", "{\"a\": "}, "--payload is not valid JSON"),
                new Case(new String[] {"--payload", "[1, 2]"}, "--payload must be a JSON object"),
                new Case(new String[] {"--payload", "{\"a\": 1} trailing"}, "--payload is not valid JSON"),
                new Case(new String[] {"--node", "../../etc"}, "node name '../../etc' from --node must match"),
                new Case(new String[] {"--type", "a/b"}, "event field 'type' must match"),
                new Case(new String[] {"--source", " "}, "event field 'source' must not be blank"),
                new Case(new String[] {"--bogus"}, "Unknown option: '--bogus'"));
        for (Case c : cases) {
            CliRun run = emit(env(), NOW, c.args());
            assertThat(run.exitCode()).as(String.join(" ", c.args())).isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", c.args())).hasSize(1).first().asString().contains(c.message());
            assertThat(run.out()).isEmpty();
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void missing_required_option_exits_2_with_one_line() {
        CliRun run = CliRun.run(env(), NOW, "events", "emit", "--type", "x", "--severity", "info");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().contains("Missing required options").contains("--source");
    }

    @Test
    void unwritable_events_root_exits_2_with_one_line_and_nothing_written() throws IOException {
        Path notADirectory = Files.writeString(root.resolve("events"), "a file");
        CliRun run = emit(Map.of("HA_DIAG_EVENTS_DIR", notADirectory.toString(), "NODE_NAME", "piha"), NOW);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().contains("events directory " + notADirectory + " cannot be used");
        assertThat(files()).containsExactly(notADirectory);
    }

    @Test
    void list_prints_a_table_oldest_first() {
        emit(env(), Instant.parse("2026-06-03T10:00:00Z"), "--correlation-id", "second");
        emit(env(), Instant.parse("2026-06-02T10:00:00Z"), "--correlation-id", "first", "--payload", "{\"check\":\"heartbeat\"}");

        CliRun run = CliRun.run(env(), NOW, "events", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(0)).startsWith("TIMESTAMP").contains("NODE", "SEVERITY", "TYPE", "CORRELATION_ID");
        assertThat(run.outLines().get(1)).startsWith("2026-06-02T10:00:00.000Z").contains("piha", "error", "ha_websocket_dead", "first", "check=heartbeat");
        assertThat(run.outLines().get(2)).contains("second");
    }

    @Test
    void list_json_prints_one_event_per_line_with_all_fields() throws IOException {
        emit(env(), NOW, "--payload", "{\"k\": [1, null]}");
        CliRun run = CliRun.run(env(), NOW, "events", "list", "--json");
        assertThat(run.outLines()).hasSize(1);
        JsonNode line = json.readTree(run.outLines().get(0));
        assertThat(line.get("correlation_id").asText()).isEqualTo("cid-1");
        assertThat(line.get("payload").get("k").get(1).isNull()).isTrue();
    }

    @Test
    void list_filters_by_time_type_severity_and_correlation_id() {
        emit(env(), Instant.parse("2026-06-01T12:00:00Z"), "--correlation-id", "old");
        emit(env(), Instant.parse("2026-06-03T12:00:00Z"), "--correlation-id", "new", "--severity", "info", "--type", "ha_websocket_recovered");
        emit(env(), Instant.parse("2026-06-03T16:00:00Z"), "--correlation-id", "recent");

        assertThat(ids("--since", "2026-06-02")).containsExactly("new", "recent");
        assertThat(ids("--until", "2026-06-01")).containsExactly("old");
        assertThat(ids("--since", "2h")).containsExactly("recent");
        assertThat(ids("--since", "2026-06-03T12:00:00Z", "--until", "2026-06-03T13:00:00+00:30")).containsExactly("new");
        assertThat(ids("--type", "ha_websocket_recovered")).containsExactly("new");
        assertThat(ids("--severity", "error")).containsExactly("old", "recent");
        assertThat(ids("--correlation-id", "old", "--correlation-id", "recent")).containsExactly("old", "recent");
    }

    @Test
    void list_shows_only_node_name_when_it_is_set_unless_told_otherwise() {
        emit(env(), NOW, "--correlation-id", "mine");
        emit(Map.of("HA_DIAG_EVENTS_DIR", root.toString(), "NODE_NAME", "nas"), NOW, "--correlation-id", "theirs");

        assertThat(ids()).containsExactly("mine");
        assertThat(ids("--all-nodes")).containsExactlyInAnyOrder("mine", "theirs");
        assertThat(ids("--node", "nas")).containsExactly("theirs");
        CliRun withoutNodeName = CliRun.run(Map.of("HA_DIAG_EVENTS_DIR", root.toString()), NOW, "events", "list", "--json");
        assertThat(withoutNodeName.outLines()).hasSize(2);
    }

    @Test
    void list_with_bad_arguments_or_a_missing_root_exits_2_with_one_line() {
        assertThat(CliRun.run(env(), NOW, "events", "list", "--since", "yesterday").errLines())
                .hasSize(1).first().asString().contains("--since: 'yesterday' is not a time");
        assertThat(CliRun.run(env(), NOW, "events", "list", "--severity", "loud").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(env(), NOW, "events", "list", "--since", "2026-06-03", "--until", "2026-06-01").exitCode()).isEqualTo(2);
        CliRun missing = CliRun.run(Map.of("HA_DIAG_EVENTS_DIR", root.resolve("nope").toString()), NOW, "events", "list");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).hasSize(1).first().asString().contains("does not exist");
    }

    @Test
    void a_bare_command_asks_for_a_subcommand() {
        CliRun run = CliRun.run(env(), NOW, "events");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("emit, list or prune");
    }

    private List<String> ids(String... filters) {
        List<String> args = new ArrayList<>(List.of("events", "list", "--json"));
        args.addAll(List.of(filters));
        CliRun run = CliRun.run(env(), NOW, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.outLines().stream().map(l -> {
            try {
                return json.readTree(l).get("correlation_id").asText();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void the_events_commands_take_events_dir_and_node_name_from_the_config_file_and_env_still_wins() throws IOException {
        Path events = root.resolve("from-config");
        Path config = Files.writeString(root.resolve("agent.yaml"), "events_dir: " + events + "\nnode_name: chelsty-infra\n");
        CliRun emitted = CliRun.run(Map.of(), NOW, "events", "emit", "--config", config.toString(), "--type", "deployment_started",
                "--severity", "info", "--source", "test", "--service", "demo", "--correlation-id", "c1");
        assertThat(emitted.exitCode()).as(emitted.err()).isZero();
        assertThat(Path.of(emitted.out().trim())).startsWith(events.resolve("2026-06-03/chelsty-infra"));

        CliRun listed = CliRun.run(Map.of("NODE_NAME", "piha"), NOW, "events", "list", "--config", config.toString());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).doesNotContain("deployment_started"); // NODE_NAME=piha wins over node_name
        assertThat(CliRun.run(Map.of(), NOW, "events", "list", "--config", config.toString()).out()).contains("deployment_started");

        Files.writeString(config, "events_dir: [a, b]\n");
        CliRun bad = CliRun.run(Map.of(), NOW, "events", "list", "--config", config.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("events_dir (" + config + ":1): expected a single value");
    }
}
