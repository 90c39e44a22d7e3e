package dev.hadiag.app.cli;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.logging.Logging;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Entry point of {@code ha-diag.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        // Logback starts with StartupLogging's console lines at INFO: reconfigure (an XML parse at every start, which a
        // plugin run pays) only when the environment asks for something else.
        if (System.getenv().keySet().stream().anyMatch(name -> name.startsWith("HA_DIAG_LOG"))) {
            Logging.configure(LogSettings.fromEnvironment(System.getenv()), err);
        }
        int code = HaDiagCommand.execute(args, new CliContext(System.getenv(), Clock.systemUTC(), out, err));
        out.flush();
        err.flush();
        System.exit(code);
    }
}
