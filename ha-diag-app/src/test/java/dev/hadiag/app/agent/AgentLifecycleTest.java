package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent in this JVM on real directories, a real SQLite file and a real HTTP port on loopback, with HA's URL on a
 * loopback port nothing listens on: a start that fails leaves nothing running, and close stops everything it started.
 */
class AgentLifecycleTest {

    @TempDir
    Path dir;

    private AgentConfig config(int httpPort) throws IOException {
        int nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = closed.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("HA_URL", "http://127.0.0.1:" + nobody, "HA_TOKEN", "test-token",
                "HA_DIAG_EVENTS_DIR", dir.resolve("events").toString(), "HA_DIAG_DB", dir.resolve("ha_diag.db").toString(),
                "HA_DIAG_BIND", "127.0.0.1", "HA_DIAG_PORT", String.valueOf(httpPort), "NODE_NAME", "lifecycle"));
        return ConfigLoader.load(env, null, () -> "lifecycle");
    }

    private static boolean agentThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .anyMatch(name -> name.startsWith("ha-diag-check") || name.equals("ha-diag-watchdog") || name.equals("ha-diag-trigger"));
    }

    private long eventFiles() throws IOException {
        if (!Files.isDirectory(dir.resolve("events"))) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir.resolve("events"))) {
            return files.filter(file -> file.toString().endsWith(".json")).count();
        }
    }

    @Test
    void a_start_that_fails_on_a_taken_port_runs_no_check_writes_no_event_and_leaves_no_thread() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AgentConfig config = config(taken.getLocalPort());

            assertThatThrownBy(() -> Agent.start(config, Clock.systemUTC())).isInstanceOf(RuntimeException.class);
        }
        assertThat(eventFiles()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !agentThreadsAlive());
    }

    @Test
    void close_stops_the_http_api_and_every_thread_the_agent_started() throws IOException {
        Agent agent = Agent.start(config(0), Clock.systemUTC());
        int port = agent.httpPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.view().lastReports().containsKey("heartbeat"));

        agent.close();

        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !agentThreadsAlive());
    }
}
