package dev.hadiag.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The operator's own logback file ({@code HA_DIAG_LOGBACK}), read by logback's configurator with the agent's format and
 * level as {@code ${HA_DIAG_LOG_FORMAT}} and {@code ${HA_DIAG_LOG_LEVEL}}. Apart from {@link Logging}, so that
 * logback's XML configuration is loaded only by a process that has such a file.
 */
final class OperatorLogbackFile {

    private OperatorLogbackFile() {
    }

    static void apply(LoggerContext context, Path file, LogSettings settings, PrintWriter err) {
        URL source;
        try {
            source = file.toUri().toURL();
        } catch (MalformedURLException e) {
            err.println("logging: cannot use " + file + ": " + e.getMessage());
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
}
