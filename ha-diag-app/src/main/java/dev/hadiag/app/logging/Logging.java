package dev.hadiag.app.logging;

import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Applies the log settings: ha-diag's own logging ({@link BundledLogging}: console or JSON lines on stderr at the chosen
 * level), or the operator's own logback file. An operator who starts the JVM with {@code -Dlogback.configurationFile}
 * has configured logback before the agent ran: that file is left as it is.
 */
public final class Logging {

    /** The system property logback itself reads at start-up. */
    public static final String LOGBACK_PROPERTY = "logback.configurationFile";

    private Logging() {
    }

    /**
     * @param settings the format and level ha-diag's logging is set up with, or the operator's own file (which may
     *                 use {@code ${HA_DIAG_LOG_FORMAT}} and {@code ${HA_DIAG_LOG_LEVEL}} too)
     * @param err      where errors in that file are reported (logback would print them to stdout)
     */
    public static void configure(LogSettings settings, PrintWriter err) {
        if (System.getProperty(LOGBACK_PROPERTY) != null) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider (an embedding application's): its configuration is not ours to change
        }
        Optional<Path> file = settings.operatorFile();
        if (file.isEmpty()) {
            BundledLogging.apply(context, settings.format(), settings.level());
        } else {
            OperatorLogbackFile.apply(context, file.get(), settings, err);
        }
    }

    /** Flushes and stops logging: the last thing before the process exits. */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
