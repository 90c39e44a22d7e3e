package dev.hadiag.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log line, with logstash's field names ({@code @timestamp}, {@code level}, {@code logger_name},
 * {@code message}, MDC entries as fields, {@code stack_trace}), so log shippers that read logstash JSON read these.
 * Written with the Jackson 2 the agent already ships: the logstash encoder pulled a second Jackson major into the jar.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("@timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger_name", event.getLoggerName());
            json.writeStringField("thread_name", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> field : mdc.entrySet()) {
                    if (!RESERVED.contains(field.getKey())) {
                        json.writeStringField(field.getKey(), field.getValue());
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("stack_trace", ThrowableProxyUtil.asString(thrown));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("@timestamp", "level", "logger_name", "thread_name",
            "message", "stack_trace");

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
