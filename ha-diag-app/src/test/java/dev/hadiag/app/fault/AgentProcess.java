package dev.hadiag.app.fault;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.events.fs.FileSystemEventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The agent jar run as an operator runs it, in a directory of its own (config, database, events, logs),
 * against an HA on loopback. Every process it starts is killed when it is closed.
 */
final class AgentProcess implements AutoCloseable {

    /** The packaged jar; {@code -Dha-diag.fault.jar=…} runs the suite against another build (e.g. before a fix). */
    static final Path JAR = Path.of(System.getProperty("ha-diag.fault.jar", "target/ha-diag.jar"));

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final String haUrl;
    private final String token;
    private final Map<String, String> extraEnv;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private int port;

    AgentProcess(Path dir, String haUrl, String token, String yaml, Map<String, String> extraEnv) throws IOException {
        this.dir = dir;
        this.haUrl = haUrl;
        this.token = token;
        this.extraEnv = Map.copyOf(extraEnv);
        Files.writeString(dir.resolve("ha-diag-agent.yaml"), yaml);
    }

    Path events() {
        return dir.resolve("events");
    }

    Path database() {
        return dir.resolve("ha_diag.db");
    }

    int port() {
        return port;
    }

    /** Starts the agent on a free loopback port (or the given one) without waiting for it. */
    Process start() throws IOException {
        return start(freePort());
    }

    Process start(int httpPort) throws IOException {
        port = httpPort;
        Path log = dir.resolve("agent-" + processes.size() + ".log");
        logs.add(log);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(), "run", "--config", dir.resolve("ha-diag-agent.yaml").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** The log of the {@code n}th process started (0 first). */
    Path log(int n) {
        return logs.get(n);
    }

    /** What a one-shot command printed (stdout and stderr together) and its exit code. */
    record Cli(int exitCode, String output) {
    }

    /** Runs a CLI command of the jar with the agent's environment (database, events, HA) and waits for it. */
    Cli cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        environment(builder);
        Process process = builder.start();
        processes.add(process);
        if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
            throw new AssertionError(String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Cli(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private void environment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.put("HA_URL", haUrl);
        env.put("HA_TOKEN", token);
        env.put("NODE_NAME", "fault-node");
        env.put("HA_DIAG_EVENTS_DIR", events().toString());
        env.put("HA_DIAG_DB", database().toString());
        env.put("HA_DIAG_BIND", "127.0.0.1");
        env.put("HA_DIAG_PORT", String.valueOf(port));
        env.putAll(extraEnv);
    }

    /** Every log line the agent processes wrote, all runs together. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            if (Files.exists(log)) {
                all.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** Every event on disk, as a reader of the tree sees it. */
    List<Event> written() {
        if (!Files.isDirectory(events())) {
            return List.of();
        }
        try (Stream<Event> found = new FileSystemEventLog(events()).find(EventQuery.all())) {
            return found.toList();
        }
    }

    List<Event> written(String type) {
        return written().stream().filter(e -> e.type().equals(type)).toList();
    }

    /** {@code GET path} on the agent last started. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(port, path);
    }

    /** {@code GET path} on an agent of this directory listening on {@code port}. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Event files a reader lists (not hidden, {@code .json}) under the events directory. */
    long eventFiles() throws IOException {
        return files(name -> name.endsWith(".json") && !name.startsWith("."));
    }

    /** Temporary files of the sink (hidden {@code .ha-diag-*.tmp}) under the events directory. */
    long tempFiles() throws IOException {
        return files(name -> name.startsWith(".ha-diag-") && name.endsWith(".tmp"));
    }

    private long files(Predicate<String> name) throws IOException {
        if (!Files.isDirectory(events())) {
            return 0;
        }
        UncheckedIOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try (Stream<Path> walk = Files.walk(events())) {
                return walk.filter(p -> name.test(p.getFileName().toString())).count();
            } catch (UncheckedIOException e) {
                last = e; // a temp file renamed while walking: look again
            }
        }
        throw last;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
