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
