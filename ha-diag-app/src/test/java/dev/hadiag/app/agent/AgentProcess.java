package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as an operator runs it, one process per command, its stdout and stderr in files. */
public final class AgentProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "ha-diag.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path out;
    private final Path err;
    public final int port;

    private AgentProcess(Process process, Path out, Path err, int port) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.port = port;
    }

    /**
     * The checks section of a test's YAML file: every check on demand only ({@code /trigger}), and an unavailable
     * entity alerting at once, so a test decides when the agent looks.
     */
    public static final String ON_DEMAND_CHECKS = """
            checks:
              heartbeat: { interval: 1h }
              unavailable_entities: { interval: 1h, threshold: 0s }
              system_health: { enabled: false }
              automation_failures: { enabled: false }
              updates_available: { enabled: false }
              recorder: { enabled: false }
              repairs: { enabled: false }
              low_batteries: { enabled: false }
              backups: { enabled: false }
              ha_log_errors: { enabled: false }
            """;

    /**
     * The environment of an agent watching {@code ha}, its events and database in {@code dir}, its YAML file
     * {@code config}: what every jar test against a real HA starts from (a mutable map, for a test's additions).
     */
    public static Map<String, String> environment(dev.hadiag.ha.client.testing.RealHomeAssistant ha, Path dir, String node, Path config) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HA_URL", ha.url());
        env.put("HA_TOKEN", ha.token().value());
        env.put("NODE_NAME", node);
        env.put("HA_DIAG_EVENTS_DIR", dir.resolve("events").toString());
        env.put("HA_DIAG_DB", dir.resolve("ha_diag.db").toString());
        env.put("HA_DIAG_CONFIG", config.toString());
        return env;
    }

    /**
     * @param jvmOptions options before {@code -jar}
     * @param env        added to this JVM's environment; HA_DIAG_PORT and HA_DIAG_BIND are set to a free loopback port
     */
    public static AgentProcess start(Path dir, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout-", ".txt");
        Path err = Files.createTempFile(dir, "stderr-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        int port = freePort();
        builder.environment().put("HA_DIAG_BIND", "127.0.0.1");
        builder.environment().put("HA_DIAG_PORT", String.valueOf(port));
        builder.environment().putAll(env);
        return new AgentProcess(builder.start(), out, err, port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits for a one-shot command to end and returns its exit code. */
    public int waitFor() throws InterruptedException {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("command ended").isTrue();
        return process.exitValue();
    }

    /** SIGTERM once the agent answers (a stop during start-up is not what these tests are about), then the exit code. */
    public int stop() throws InterruptedException {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/health").statusCode() == 200);
        process.destroy();
        return waitFor();
    }

    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM now (for commands without an HTTP API), then the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would, and wait for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
