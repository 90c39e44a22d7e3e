package dev.hadiag.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleLineEncoderTest {

    /** The pattern of the logback file the encoder replaced. */
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} %mdc - %msg%n";

    private final LoggerContext context = new LoggerContext();

    @Test
    void writes_the_lines_the_replaced_pattern_wrote() {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("check", "heartbeat");
        mdc.put("alert_key", "ha_unreachable");
        LoggingEvent withFields = event(Level.WARN, "dev.hadiag.app.agent.Agent", "check {} could not run", mdc, null);
        LoggingEvent plain = event(Level.INFO, "Top", "plain", Map.of(), null);
        LoggingEvent failed = event(Level.ERROR, "dev.hadiag.x.Y", "it broke", Map.of(),
                new IllegalStateException("disk gone", new java.io.IOException("EIO")));

        for (LoggingEvent event : new LoggingEvent[] {withFields, plain, failed}) {
            assertThat(encoded(new ConsoleLineEncoder(), event)).isEqualTo(encoded(patternEncoder(), event));
        }
        assertThat(encoded(new ConsoleLineEncoder(), withFields))
                .isEqualTo("2026-12-07T12:00:00.123Z WARN  Agent check=heartbeat, alert_key=ha_unreachable - check heartbeat could not run"
                        + System.lineSeparator());
    }

    private LoggingEvent event(Level level, String logger, String message, Map<String, String> mdc, Throwable thrown) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger(logger), level, message, thrown, new Object[] {"heartbeat"});
        event.setInstant(Instant.parse("2026-12-07T12:00:00.123Z"));
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private PatternLayoutEncoder patternEncoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private String encoded(ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder, LoggingEvent event) {
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
