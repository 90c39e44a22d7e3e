package dev.hadiag.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

/**
 * Lines for humans, as the pattern {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} %mdc - %msg%n} (and
 * the stack trace after it) wrote them. Written by hand: logback's pattern layout brings its parser and some 70
 * converter classes into every process, the idle agent included, for one fixed format.
 */
public final class ConsoleLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(event.getInstant(), line);
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(' ');
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Iterator<Map.Entry<String, String>> fields = mdc.entrySet().iterator(); fields.hasNext();) {
                Map.Entry<String, String> field = fields.next();
                line.append(field.getKey()).append('=').append(field.getValue());
                if (fields.hasNext()) {
                    line.append(", ");
                }
            }
        }
        line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // each of its lines ends with a line separator
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
