package dev.hadiag.app.agent;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.EventSink;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logs every event written, with its type, alert key and correlation id as structured fields, and counts it and every failed write. */
final class ObservedEventSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(ObservedEventSink.class);

    private final EventSink delegate;
    private final Consumer<String> written;
    private final Runnable failed;

    ObservedEventSink(EventSink delegate, Consumer<String> written, Runnable failed) {
        this.delegate = delegate;
        this.written = written;
        this.failed = failed;
    }

    @Override
    public void emit(Event event) {
        try {
            delegate.emit(event);
        } catch (RuntimeException e) {
            failed.run();
            throw e;
        }
        written.accept(event.type());
        try (MDC.MDCCloseable type = MDC.putCloseable("event_type", event.type());
                MDC.MDCCloseable key = MDC.putCloseable("alert_key", String.valueOf(event.payload().getOrDefault("alert_key", "")));
                MDC.MDCCloseable correlation = MDC.putCloseable("correlation_id", event.correlationId())) {
            LOG.info("event {} ({}): {}", event.type(), event.severity().wireName(), event.payload().getOrDefault("summary", ""));
        }
    }
}
