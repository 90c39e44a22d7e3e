package dev.hadiag.app.cli;

import dev.hadiag.app.logging.Logging;
import java.util.concurrent.CountDownLatch;

/** How a long-running command ({@code run}, {@code relay}) waits for the service manager's "stop" and then stops. */
final class UntilStopped {

    private UntilStopped() {
    }

    /**
     * Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code service}, stops logging and ends
     * the process with 0: a clean stop is success, not 143. A failure to close is printed; the process ends anyway.
     */
    static int await(String command, AutoCloseable service, CliContext context) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                context.err().println(command + ": stopped with errors: " + e.getMessage());
            }
            Logging.stop();
            stopped.countDown();
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "ha-diag-" + command + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    /** Does nothing until the JVM is asked to stop, then ends the process with {@code exitCode}. */
    static int idle(String command, int exitCode, CliContext context) {
        context.err().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            Runtime.getRuntime().halt(exitCode);
        }, "ha-diag-" + command + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }
}
