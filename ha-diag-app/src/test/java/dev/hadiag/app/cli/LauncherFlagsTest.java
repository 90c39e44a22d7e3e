package dev.hadiag.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/ha-diag as operators run it, with a {@code JAVA} that prints the command line it was given: the long-running
 * commands get the agent's shrinking heap, the one-shot ones do not.
 */
class LauncherFlagsTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "ha-diag").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path java;
    private Path jar;

    @BeforeEach
    void echoingJava() throws IOException {
        java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        jar = Files.createFile(dir.resolve("ha-diag.jar"));
    }

    private List<String> launched(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("HA_DIAG_JAR", jar.toString());
        builder.environment().put("HA_DIAG_JAVA_OPTS", "-Dfrom.operator=1");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static List<String> jvmFlags(List<String> line) {
        return line.subList(0, line.indexOf("-jar"));
    }

    @Test
    void the_agent_the_fleet_and_a_following_relay_get_a_heap_that_shrinks_back_when_idle() throws Exception {
        for (String[] command : List.of(new String[] {"run"}, new String[] {"fleet", "--mqtt-url", "tcp://127.0.0.1:1"},
                new String[] {"relay"})) {
            List<String> flags = jvmFlags(launched(command));
            assertThat(flags).as(command[0]).contains("-XX:MaxHeapFreeRatio=20", "-XX:+ExitOnOutOfMemoryError", "-Xms16m");
        }
    }

    @Test
    void the_fleet_holds_every_node_s_alerts_in_a_larger_heap_than_the_agent() throws Exception {
        assertThat(jvmFlags(launched("fleet"))).contains("-Xmx128m").doesNotContain("-Xmx96m");
        assertThat(jvmFlags(launched("run"))).contains("-Xmx96m").doesNotContain("-Xmx128m");
    }

    @Test
    void one_shot_commands_keep_the_one_shot_flags() throws Exception {
        for (String[] command : List.of(new String[] {"check", "--json"}, new String[] {"relay", "--once"},
                new String[] {"events", "list"}, new String[] {"--version"})) {
            assertThat(jvmFlags(launched(command))).as(String.join(" ", command)).doesNotContain("-XX:MaxHeapFreeRatio=20")
                    .contains("-XX:-UsePerfData");
        }
    }

    @Test
    void the_operator_s_flags_come_last_so_they_win_and_the_arguments_pass_through_unchanged() throws Exception {
        List<String> line = launched("relay", "--once", "--config", "/etc/ha diag.yaml");
        List<String> flags = jvmFlags(line);
        assertThat(flags.get(flags.size() - 1)).isEqualTo("-Dfrom.operator=1");
        assertThat(line.subList(line.indexOf("-jar"), line.size()))
                .containsExactly("-jar", jar.toRealPath().toString(), "relay", "--once", "--config", "/etc/ha diag.yaml");
    }
}
