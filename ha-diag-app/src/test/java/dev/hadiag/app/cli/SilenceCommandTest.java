package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ha-diag silence} against a real SQLite file, as an operator runs it next to (or without) an agent. */
class SilenceCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private Map<String, String> env() {
        return Map.of("HA_DIAG_DB", directory.resolve("ha_diag.db").toString(), "USER", "ken");
    }

    /** The agent's database, as a running agent has it. */
    @BeforeEach
    void agentDatabase() {
        SqliteDiagnosticStore.open(directory.resolve("ha_diag.db")).close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"add --match entity=x --for 1h", "list", "expire 1"})
    void a_database_that_does_not_exist_is_refused_naming_the_path_and_is_not_created(String command) {
        Path missing = directory.resolve("elsewhere.db");
        String[] args = Stream.concat(Stream.of("silence"), Stream.concat(Stream.of(command.split(" ")), Stream.of("--db", missing.toString())))
                .toArray(String[]::new);
        CliRun run = CliRun.run(env(), NOW, args);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no agent database at " + missing.toAbsolutePath()).contains("--db");
        assertThat(missing).doesNotExist();
    }

    private List<Silence> stored() {
        try (SqliteDiagnosticStore store = SqliteDiagnosticStore.open(directory.resolve("ha_diag.db"))) {
            return store.silences();
        }
    }

    @Test
    void add_writes_the_silence_into_the_agents_database_and_list_shows_it() throws Exception {
        CliRun add = CliRun.run(env(), NOW, "silence", "add", "--match", "entity=sensor.garage_*", "--match", "type=ha_entity_*",
                "--for", "2h", "--comment", "new batteries", "--json");
        assertThat(add.exitCode()).as(add.err()).isZero();
        JsonNode added = JSON.readTree(add.out());
        assertThat(added.get("ends_at").asText()).isEqualTo(NOW.plus(Duration.ofHours(2)).toString());
        assertThat(added.get("created_by").asText()).isEqualTo("ken");
        assertThat(stored()).singleElement().satisfies(s -> {
            assertThat(s.comment()).isEqualTo("new batteries");
            assertThat(s.matchers()).hasSize(2);
        });

        CliRun list = CliRun.run(env(), NOW.plusSeconds(60), "silence", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(added.get("id").asText() + "\tactive", "entity=sensor.garage_* type=ha_entity_*", "# new batteries");
        CliRun json = CliRun.run(env(), NOW.plusSeconds(60), "silence", "list", "--json");
        assertThat(JSON.readTree(json.out())).hasSize(1);
    }

    @Test
    void expire_ends_the_silence_now_and_list_then_shows_it_only_with_all() throws Exception {
        CliRun add = CliRun.run(env(), NOW, "silence", "add", "--match", "device=Garage*", "--until", "2026-11-24T12:00:00Z", "--json");
        long id = JSON.readTree(add.out()).get("id").asLong();
        CliRun expire = CliRun.run(env(), NOW.plusSeconds(600), "silence", "expire", String.valueOf(id));
        assertThat(expire.exitCode()).as(expire.err()).isZero();
        assertThat(stored().get(0).endsAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(stored().get(0).expiredEarly()).isTrue();
        assertThat(CliRun.run(env(), NOW.plusSeconds(601), "silence", "list").out()).contains("no silences");
        assertThat(CliRun.run(env(), NOW.plusSeconds(601), "silence", "list", "--all").out()).contains(id + "\texpired");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(List.of("add", "--match", "room=garage", "--for", "1h"), "unknown field 'room'"),
                Arguments.of(List.of("add", "--match", "entity=", "--for", "1h"), "the glob of entity is empty"),
                Arguments.of(List.of("add", "--match", "entity=x", "--for", "0s"), "duration: must be positive"),
                Arguments.of(List.of("add", "--match", "entity=x", "--for", "soon"), "is not a duration like"),
                Arguments.of(List.of("add", "--match", "entity=x", "--until", "2020-01-01T00:00:00Z"), "is in the past"),
                Arguments.of(List.of("add", "--match", "entity=x"), "how long?"),
                Arguments.of(List.of("add", "--match", "entity=x", "--for", "1h", "--comment", "x".repeat(1001)), "comment: is longer than 1000"),
                Arguments.of(List.of("add", "--for", "1h"), "Missing required option: '--match"),
                Arguments.of(List.of("expire", "99"), "no silence with id 99"),
                Arguments.of(List.of("expire", "abc"), "'abc' is not a long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void bad_input_exits_2_with_the_message(List<String> args, String message) {
        String[] all = Stream.concat(Stream.of("silence"), args.stream()).toArray(String[]::new);
        CliRun run = CliRun.run(env(), NOW, all);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
