package dev.hadiag.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.List;
import java.util.Locale;

/**
 * ha-diag's own logging, set up in code: console lines or JSON lines, always on stderr (stdout is for command output,
 * which stays machine-readable), at the chosen level, with Jetty, Quartz and Javalin kept to warnings (they are chatty
 * about their own start-up at INFO). In code rather than a bundled logback file: reading XML brings logback's
 * configuration model and the JDK's XML parser, some 500 classes an idle agent held for nothing. An operator's own
 * file ({@code HA_DIAG_LOGBACK}, {@code -Dlogback.configurationFile}) is read by logback as before.
 */
final class BundledLogging {

    private static final List<String> QUIET = List.of("org.eclipse.jetty", "org.quartz", "io.javalin");

    private BundledLogging() {
    }

    /** Replaces whatever {@code context} was configured with. */
    static void apply(LoggerContext context, LogSettings.Format format, LogSettings.Level level) {
        context.reset();
        EncoderBase<ILoggingEvent> encoder = format == LogSettings.Format.JSON ? new JsonLinesEncoder() : new ConsoleLineEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(format.name().toLowerCase(Locale.ROOT));
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        for (String chatty : QUIET) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name()));
        root.addAppender(appender);
    }
}
