package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ha-diag --version} and {@code ha-diag completion}, through the repository's launcher as operations.md writes them. */
class VersionAndCompletionJarIT {

    private static final Duration LIMIT = Duration.ofMinutes(1);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    /** The launcher on PATH as {@code ha-diag}, this JVM's java, and nothing of the developer's own configuration. */
    private Map<String, String> env() {
        return Map.of("PATH", DeployDoc.REPO.resolve("bin") + ":" + System.getenv("PATH"), "JAVA", JAVA, "HA_DIAG_CONFIG", "");
    }

    @Test
    void version_names_the_commit_the_jar_was_built_from_and_when() {
        String head = HostCommand.run(DeployDoc.REPO, LIMIT, "git", "rev-parse", "--short=12", "HEAD").output().trim();
        HostCommand version = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", "ha-diag --version"));
        assertThat(version.exit()).as(version.output()).isZero();
        List<String> lines = version.output().lines().toList();
        assertThat(lines.get(0)).matches("ha-diag \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(lines.get(1)).matches("commit " + head + ", built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(lines.get(2)).startsWith("Java 17");
    }

    @Test
    void the_documented_completion_line_completes_commands_and_options() throws Exception {
        String script = DeployDoc.operationsBlock("completion") + """
                COMP_WORDS=(ha-diag con); COMP_CWORD=1; COMP_LINE="ha-diag con"; COMP_POINT=${#COMP_LINE}
                _complete_ha-diag 2>/dev/null; echo "commands: ${COMPREPLY[*]}"
                COMP_WORDS=(ha-diag config check --); COMP_CWORD=3; COMP_LINE="ha-diag config check --"; COMP_POINT=${#COMP_LINE}
                _complete_ha-diag 2>/dev/null; echo "options: ${COMPREPLY[*]}"
                """;
        HostCommand completed = HostCommand.run(dir, env(), LIMIT, List.of("bash", "-c", script));
        assertThat(completed.exit()).as(completed.output()).isZero();
        assertThat(completed.output()).contains("commands: config\n").containsPattern("options: .*--set-only").contains("--config");
    }
}
