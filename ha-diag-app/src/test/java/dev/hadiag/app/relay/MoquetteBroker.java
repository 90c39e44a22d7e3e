package dev.hadiag.app.relay;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT 3.1.1-only broker: Moquette 0.17 (Maven Central; MQTT 5 came with 0.18) as its own process on a loopback
 * port, from the jars the build copies into {@code target/moquette} (not the test classpath: its Netty does not converge
 * with the MQTT client's). Persistent, so a test can stop it and start it again on the same port with its retained
 * messages; telemetry off (Moquette reports to a collector on the internet by default).
 */
public final class MoquetteBroker implements AutoCloseable {

    private static final Path JARS = Path.of("target", "moquette");

    private final Path home;
    private final Path log;
    public final int port;
    private Process process;

    private MoquetteBroker(Path home, int port) {
        this.home = home;
        this.log = home.resolve("moquette.log");
        this.port = port;
    }

    public static MoquetteBroker start(Path dir, int port) throws IOException {
        if (!Files.isDirectory(JARS)) {
            throw new AssertionError("no " + JARS.toAbsolutePath() + ": the build copies Moquette there (process-test-classes)");
        }
        Path home = Files.createDirectories(dir.resolve("moquette"));
        Path data = Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config").resolve("moquette.conf"), """
                port %d
                host 127.0.0.1
                websocket_port disabled
                allow_anonymous true
                persistence_enabled true
                data_path %s
                telemetry_enabled false
                """.formatted(port, data));
        MoquetteBroker broker = new MoquetteBroker(home, port);
        broker.start();
        return broker;
    }

    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = JARS.toAbsolutePath() + File.separator + "*";
        process = new ProcessBuilder(java, "-Xmx96m", "-Dmoquette.path=" + home, "-cp", classpath, "io.moquette.broker.Server")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(this::listening);
    }

    /** SIGTERM: Moquette's shutdown hook closes its store (the retained messages stay for the next start). */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private boolean listening() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("Moquette exited: " + Files.readString(log));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
