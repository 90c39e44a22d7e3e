package dev.hadiag.app.relay;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A real mosquitto on a loopback port, with persistence, that a test can stop and start again on the same port. */
public final class MosquittoBroker implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path config;
    private final Path log;
    public final int port;
    private Process process;

    private MosquittoBroker(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Skips the test where mosquitto is not installed, except under CI, where that is a failure. */
    public static MosquittoBroker start(Path dir, int port) throws IOException {
        return start(dir, port, "allow_anonymous true\n");
    }

    /**
     * @param listenerOptions lines for the listener: {@code allow_anonymous}, TLS files, a password file
     */
    static MosquittoBroker start(Path dir, int port, String listenerOptions) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            String why = "mosquitto is not installed (deploy/dev/ha-dev.sh install installs it)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Path data = Files.createDirectories(dir.resolve("mosquitto"));
        Path config = dir.resolve("mosquitto.conf");
        // "user": mosquitto started by root drops to user mosquitto, which cannot write this directory.
        Files.writeString(config, """
                user %s
                persistence true
                persistence_location %s/
                listener %d 127.0.0.1
                %s
                """.formatted(System.getProperty("user.name"), data, port, listenerOptions));
        MosquittoBroker broker = new MosquittoBroker(config, dir.resolve("mosquitto.log"), port);
        broker.start();
        return broker;
    }

    void start() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(this::listening);
    }

    /** SIGTERM: mosquitto writes its persistence file (retained messages) and exits. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private boolean listening() throws IOException {
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
