package dev.hadiag.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Applies the log settings: the bundled configuration ({@code ha-diag-logback.xml}, console or JSON lines on stderr
 * at the chosen level), or the operator's own logback file. An operator who starts the JVM with
 * {@code -Dlogback.configurationFile} has configured logback before the agent ran: that file is left as it is.
 */
public final class Logging {

    /** The system property logback itself reads at start-up. */
    public static final String LOGBACK_PROPERTY = "logback.configurationFile";
    private static final String BUNDLED = "/dev/hadiag/app/logging/ha-diag-logback.xml";

    private Logging() {
    }

    /**
     * @param settings the format and level the bundled file is applied with, or the operator's own file (which may
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
        URL source;
        try {
            Optional<Path> file = settings.operatorFile();
            source = file.isPresent() ? file.get().toUri().toURL() : Logging.class.getResource(BUNDLED);
        } catch (java.net.MalformedURLException e) {
            err.println("logging: cannot use " + settings.operatorFile().orElseThrow() + ": " + e.getMessage());
            return;
        }
        context.reset();
        context.putProperty("HA_DIAG_LOG_FORMAT", settings.format().name().toLowerCase(Locale.ROOT));
        context.putProperty("HA_DIAG_LOG_LEVEL", settings.level().name());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        long since = System.currentTimeMillis();
        try {
            configurator.doConfigure(source);
        } catch (JoranException e) {
            err.println("logging: " + source + ": " + e.getMessage());
        }
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            // Warnings are about appenders the chosen format leaves unused; errors mean the file does not work.
            if (status.getLevel() >= Status.ERROR && status.getTimestamp() >= since) {
                err.println("logging: " + status.getMessage());
            }
        }
    }

    /** Flushes and stops logging: the last thing before the process exits. */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
