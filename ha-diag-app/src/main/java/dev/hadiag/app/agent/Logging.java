package dev.hadiag.app.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.hadiag.app.config.AgentConfig;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Switches the log output of the running agent: one JSON object per line (the default: MDC fields such as
 * {@code check} and {@code alert_key} become JSON fields) or a human console format. Always to stderr.
 */
public final class Logging {

    private Logging() {
    }

    public static void configure(AgentConfig.LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J provider: leave its configuration alone
        }
        Encoder<ILoggingEvent> encoder;
        if (format == AgentConfig.LogFormat.JSON) {
            LogstashEncoder json = new LogstashEncoder();
            json.setIncludeContext(false);
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} %mdc - %msg%n");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        // Jetty and Quartz are chatty at INFO about their own start-up.
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("org.quartz").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
    }

    /** Flushes and stops logging: the last thing before the process exits. */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
