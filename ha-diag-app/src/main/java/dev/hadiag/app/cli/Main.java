package dev.hadiag.app.cli;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.logging.Logging;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Entry point of {@code ha-diag.jar}. */
public final class Main {

    /**
     * Jetty pads its queues by the references per cache line, which it otherwise asks the JVM's HotSpotDiagnostic
     * bean for (is UseCompressedOops on?): that starts the platform MBean server, a few hundred classes the agent
     * then holds for nothing (docs/performance.md, "Idle RSS"). Compressed references, 4 bytes (every heap under
     * 32 GB, and the launcher's are 96 and 128 MB), in Jetty's 64-byte line: the 16 it would have computed.
     */
    static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // Logging starts as console lines at INFO (StartupLogging): set it up again (which a plugin run would pay at
        // every start) only when the environment asks for something else.
        if (System.getenv().keySet().stream().anyMatch(name -> name.startsWith("HA_DIAG_LOG"))) {
            Logging.configure(LogSettings.fromEnvironment(System.getenv()), err);
        }
        int code = HaDiagCommand.execute(args, new CliContext(System.getenv(), Clock.systemUTC(), out, err));
        out.flush();
        err.flush();
        System.exit(code);
    }
}
