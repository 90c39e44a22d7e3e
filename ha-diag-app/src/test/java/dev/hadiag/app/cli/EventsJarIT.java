package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as operators run it: a separate JVM with a real environment. */
class EventsJarIT {

    static final Path JAR = Path.of("target", "ha-diag.jar");

    @TempDir
    Path root;

    record Result(int code, String out, String err) { }

    Result java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(root.getParent(), "out", ".txt");
        Path err = Files.createTempFile(root.getParent(), "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HA_DIAG_EVENTS_DIR", root.toString());
        builder.environment().put("NODE_NAME", "it-node");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jar finished").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void an_emitted_event_validates_against_the_schema_and_comes_back_from_list() throws Exception {
        Result emitted = java("events", "emit", "--type", "deployment_started", "--severity", "info", "--source", "deploy.sh",
                "--service", "mosquitto", "--correlation-id", "deploy-882", "--payload", "{\"version\": \"1.0\"}");
        assertThat(emitted.code()).as(emitted.err()).isZero();
        Path file = Path.of(emitted.out().trim());
        assertThat(file).isRegularFile();

        Schema schema;
        try (InputStream in = Files.newInputStream(Path.of("..", "docs", "event.schema.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        assertThat(schema.validate(new ObjectMapper().readTree(file.toFile()))).isEmpty();

        Result listed = java("events", "list", "--json", "--correlation-id", "deploy-882");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out().lines()).singleElement().satisfies(line -> assertThat(new ObjectMapper().readTree(line))
                .isEqualTo(new ObjectMapper().readTree(file.toFile())));
    }

    @Test
    void bad_input_exits_2_with_one_line_on_stderr() throws Exception {
        Result result = java("events", "emit", "--type", "x", "--severity", "loud", "--source", "s", "--service", "v", "--correlation-id", "c");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString().contains("severity must be one of info|warning|error|critical");
        assertThat(result.out()).isEmpty();
        try (var files = Files.list(root)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void list_on_a_root_that_does_not_exist_exits_2_naming_it_and_creates_nothing_while_emit_creates_it() throws Exception {
        Path missing = root.resolve("typo");
        Result listed = java("events", "list", "--events-dir", missing.toString());
        assertThat(listed.code()).isEqualTo(2);
        assertThat(listed.err()).contains("events directory " + missing + " does not exist");
        assertThat(missing).doesNotExist();

        Result emitted = java("events", "emit", "--type", "deployment_started", "--severity", "info", "--source", "s", "--service", "v",
                "--correlation-id", "c", "--events-dir", missing.toString());
        assertThat(emitted.code()).as(emitted.err()).isZero();
        assertThat(missing).isDirectory();
    }

    @Test
    void help_and_version_work() throws Exception {
        assertThat(java("--help").out()).contains("events");
        assertThat(java("events", "list", "--help").out()).contains("--since", "--correlation-id");
        assertThat(java("--version").out()).contains("ha-diag 0.1.0-SNAPSHOT");
    }
}
