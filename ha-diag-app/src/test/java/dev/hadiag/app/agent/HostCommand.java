package dev.hadiag.app.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A command run on the test host (podman, docker-compose, bash), its output captured, with a time limit. */
record HostCommand(int exit, String output) {

    static HostCommand run(Path dir, Map<String, String> env, Duration limit, List<String> command) {
        try {
            Path out = Files.createTempFile("ha-diag-cmd", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not finish within " + limit + ": "
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new HostCommand(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static HostCommand run(Path dir, Duration limit, String... command) {
        return run(dir, Map.of(), limit, List.of(command));
    }

    /**
     * Skips the test when something it needs is missing (null: nothing is), except under CI=true, where
     * that is a failure: CI must really run it.
     */
    static void assumeAvailable(String missing) {
        if (missing != null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing + " (CI=true: this test must run)");
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    static boolean onPath(String command) {
        return run(Path.of("."), Duration.ofSeconds(10), "sh", "-c", "command -v " + command).exit() == 0;
    }

    /** The output, after checking the exit code is 0 (the message carries the output otherwise). */
    String ok() {
        if (exit != 0) {
            throw new IllegalStateException("exit " + exit + ": " + output);
        }
        return output;
    }
}
