package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's edges against the packaged jar, run as an operator runs it: a hostile events tree under
 * {@code events list} in every locale, token file variants, HTTP abuse, and an events directory that turns
 * read-only or full under a running agent. No Home Assistant is needed: HA_URL points at a closed
 * loopback port. Everything stays on loopback; every wait is bounded.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EdgesFaultIT {

    private static final Path JAR = Path.of("target", "ha-diag.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HA_TOKEN = "eyJhbGciOiJIUzI1NiJ9.ZWRnZXMtZmF1bHQ.aGEtdG9rZW4tbmV2ZXItcHJpbnRlZA";
    private static final String API_TOKEN = "api-token-never-printed-7f3a";

    @TempDir
    Path dir;

    private final List<Process> agents = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        agents.forEach(Process::destroyForcibly);
        for (Process agent : agents) {
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        if (mounted != null) {
            run("umount", "-l", mounted.toString());
        }
    }

    record Result(int code, String out, String err) {
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the jar with exactly {@code env} (nothing inherited, as {@code env -i} does). */
    private Result jar(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jar finished within a minute: %s", List.of(args)).isTrue();
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        seen.add(result.out() + result.err());
        return result;
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    // --- events list over a hostile tree ---

    @ParameterizedTest(name = "locale: {0}")
    @ValueSource(strings = {"none (env -i)", "LANG=C.UTF-8", "LC_ALL=POSIX"})
    void events_list_skips_hostile_entries_with_one_warning_each_in_every_locale(String locale) throws Exception {
        Path events = dir.resolve("events");
        Map<String, String> env = new java.util.HashMap<>();
        if (locale.contains("=")) {
            env.put(locale.substring(0, locale.indexOf('=')), locale.substring(locale.indexOf('=') + 1));
        }
        for (String id : List.of("valid-1", "valid-2")) {
            Result emitted = jar(env, "events", "emit", "--events-dir", events.toString(), "--node", "edge", "--type", "deployment_started",
                    "--severity", "info", "--source", "it", "--service", "svc", "--correlation-id", id);
            assertThat(emitted.code()).as(emitted.err()).isZero();
        }
        Path node = Files.list(events).findFirst().orElseThrow().resolve("edge");
        assertThat(run("sh", "-c", """
                cd "$1" &&
                mkfifo 20200101T000000.000Z_fifo_a.json &&
                touch "$(printf '20200101T000001.000Z_bad_\\377\\376.json')" &&
                printf '{}' > "$(printf '20200101T000002.000Z_caf\\303\\251_u.json')" &&
                ln -s 20200101T000003.000Z_loop_l.json 20200101T000003.000Z_loop_l.json &&
                mkdir 20200101T000004.000Z_dir_d.json &&
                truncate -s 64M 20200101T000005.000Z_huge_h.json &&
                head -c 4096 /dev/urandom > 20200101T000006.000Z_garbage_g.json &&
                printf '{"level":"info","msg":"another tool"}' > 20200101T000007.000Z_other_o.json &&
                printf 'notes' > README.txt && printf '{}' > .hidden.json
                """, "sh", node.toString())).isZero();

        Result listed = jar(env, "events", "list", "--events-dir", events.toString(), "--all-nodes");

        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("valid-1", "valid-2");
        assertThat(listed.err().lines().filter(l -> l.contains("WARN"))).hasSize(8);
        assertThat(listed.err()).contains("_fifo_a.json: not a regular file", "_bad_", "not ASCII", "_loop_l.json", "_dir_d.json",
                "_huge_h.json", "_garbage_g.json", "_other_o.json");
        assertThat(listed.err()).doesNotContain("Exception", "\tat ", "README", "hidden");
    }

    // --- token file variants ---

    @Test
    void a_token_file_with_a_second_line_stops_run_and_check_naming_HA_TOKEN_FILE_and_never_the_token() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), HA_TOKEN + "\n" + "second-line-of-secret\n");
        Map<String, String> env = Map.of("HA_URL", "http://127.0.0.1:" + closedPort(), "HA_TOKEN_FILE", tokenFile.toString(),
                "HA_DIAG_EVENTS_DIR", dir.resolve("events").toString(), "HA_DIAG_DB", dir.resolve("db").toString());

        Result run = jar(env, "run");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("HA_TOKEN_FILE", "2 lines");
        Result check = jar(env, "check");
        assertThat(check.code()).isEqualTo(3);
        assertThat(check.err()).contains("HA_TOKEN_FILE");
        assertThat(seen).noneMatch(text -> text.contains(HA_TOKEN) || text.contains("second-line-of-secret"));
        assertThat(dir.resolve("events")).doesNotExist();
    }

    @Test
    void a_token_file_that_is_a_fifo_is_refused_at_once_instead_of_blocking_the_start() throws Exception {
        Path fifo = dir.resolve("token-fifo");
        assertThat(run("mkfifo", fifo.toString())).isZero();
        Result check = jar(Map.of("HA_URL", "http://127.0.0.1:" + closedPort(), "HA_TOKEN_FILE", fifo.toString(),
                "HA_DIAG_DB", dir.resolve("db").toString()), "check", "--no-emit");
        assertThat(check.code()).isEqualTo(3);
        assertThat(check.err()).contains("HA_TOKEN_FILE", "not a regular file");
    }

    // --- the running agent ---

    private int startAgent(Path events) throws Exception {
        int port = closedPort();
        Path log = dir.resolve("agent-" + agents.size() + ".log");
        Path tokenFile = Files.writeString(dir.resolve("ha-token"), HA_TOKEN + "\n");
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", JAR.toAbsolutePath().toString(), "run", "--log-format", "console")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("HA_URL", "http://127.0.0.1:" + closedPort());
        env.put("HA_TOKEN_FILE", tokenFile.toString());
        env.put("HA_DIAG_API_TOKEN", API_TOKEN);
        env.put("NODE_NAME", "edge");
        env.put("HA_DIAG_EVENTS_DIR", events.toString());
        env.put("HA_DIAG_DB", dir.resolve("ha_diag.db").toString());
        env.put("HA_DIAG_BIND", "127.0.0.1");
        env.put("HA_DIAG_PORT", String.valueOf(port));
        env.put("HA_DIAG_CONFIG", Files.writeString(dir.resolve("agent.yaml"), "websocket: { grace: 1s }\n").toString());
        agents.add(builder.start());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> send(port, get("/health")).status() == 200);
        return port;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    record Answer(int status, String head, String body) {
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    }

    private Answer send(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException closedEarly) {
                // An oversized request is answered before it is read to the end.
            }
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            seen.add(text);
            int end = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
        }
    }

    private void assertJsonError(Answer answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.head()).isEqualTo(status);
        assertThat(answer.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isNotBlank();
    }

    @Test
    void hostile_http_requests_get_json_errors_from_the_running_agent_and_no_token_shows_anywhere() throws Exception {
        int port = startAgent(dir.resolve("events"));
        assertJsonError(send(port, get("/health%00")), 400);
        assertJsonError(send(port, get("/../../etc/passwd")), 400);
        // An encoded "../" inside one segment is just an odd check name: the token is asked for first.
        assertJsonError(send(port, "POST /trigger/%2e%2e%2fheartbeat HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 401);
        assertJsonError(send(port, "POST /trigger/../../health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400);
        assertJsonError(send(port, "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n"), 431);
        assertJsonError(send(port, "NOT HTTP AT ALL\r\n\r\n"), 400);
        assertJsonError(send(port, "POST /trigger/heartbeat HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 401);
        assertJsonError(send(port, "POST /trigger/nope HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + API_TOKEN
                + "\r\nContent-Length: 4000000\r\nConnection: close\r\n\r\n" + "x".repeat(128 * 1024)), 404);
        Answer triggered = send(port, "POST /trigger/heartbeat HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + API_TOKEN
                + "\r\nConnection: close\r\n\r\n");
        assertThat(triggered.status()).isEqualTo(200);
        assertThat(send(port, get("/health")).status()).isEqualTo(200);

        List<String> texts = new ArrayList<>(seen);
        texts.add(Files.readString(dir.resolve("agent-0.log"), StandardCharsets.UTF_8));
        assertThat(texts).noneMatch(text -> text.contains(HA_TOKEN) || text.contains(API_TOKEN));
    }

    @Test
    void health_says_failing_with_the_reason_while_the_events_directory_is_read_only_or_full_and_ok_again_after() throws Exception {
        Path events = Files.createDirectories(dir.resolve("events-mount"));
        mountSmallTmpfs(events);
        int port = startAgent(events);
        assertThat(JSON.readTree(send(port, get("/health")).body()).get("status").asText()).isEqualTo("ok");

        assertThat(run("mount", "-o", "remount,ro", events.toString())).isZero();
        JsonNode readOnly = awaitHealth(port, 503);
        assertThat(readOnly.get("status").asText()).isEqualTo("failing");
        assertThat(readOnly.get("problems").get(0).get("component").asText()).isEqualTo("events");
        assertThat(readOnly.get("problems").get(0).get("reason").asText()).contains("Read-only file system");

        assertThat(run("mount", "-o", "remount,rw", events.toString())).isZero();
        assertThat(awaitHealth(port, 200).get("status").asText()).isEqualTo("ok");

        Path filler = events.resolve(".filler");
        run("sh", "-c", "head -c 2M /dev/zero > \"$1\"", "sh", filler.toString()); // fails with ENOSPC once the tmpfs is full
        JsonNode full = awaitHealth(port, 503);
        assertThat(full.get("problems").get(0).get("reason").asText()).contains("No space left on device");

        Files.delete(filler);
        assertThat(awaitHealth(port, 200).get("status").asText()).isEqualTo("ok");
    }

    private JsonNode awaitHealth(int port, int status) throws Exception {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> send(port, get("/health")).status() == status);
        return JSON.readTree(send(port, get("/health")).body());
    }

    private void mountSmallTmpfs(Path at) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        int code = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString());
        if (code != 0 && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("cannot mount a tmpfs here (exit " + code + ")");
        }
        assertThat(code).as("mount a 1 MiB tmpfs (root, CI)").isZero();
        mounted = at;
    }
}
