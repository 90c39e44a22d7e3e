package dev.hadiag.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * What logback is configured with when the JVM starts, before ha-diag has read its settings: plain lines on stderr
 * (stdout is for command output and stays machine-readable) at INFO, the chattier libraries at WARN. ha-diag then
 * applies its settings through {@code dev/hadiag/app/logging/ha-diag-logback.xml} ({@code log_format},
 * {@code log_level}) or the operator's {@code HA_DIAG_LOGBACK} file ({@link Logging#configure}).
 *
 * <p>Issue 29: this was a bundled {@code logback.xml}; reading it took logback's XML configurator and a SAX parser,
 * some 500 classes and a twentieth of a second of CPU at every start, which a monitoring system running
 * {@code check} every minute paid each time. Built here, it is the same appender and pattern. A JVM started with
 * {@code -Dlogback.configurationFile} gets that file: this configurator then leaves the work to logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class StartupLogging extends ContextAwareBase implements Configurator {

    /** As the bundled logback.xml had it: UTC timestamps to the millisecond, the logger's simple name and the MDC. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} %mdc - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(Logging.LOGBACK_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        for (String chatty : new String[] {"org.eclipse.jetty", "org.quartz", "io.javalin"}) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
