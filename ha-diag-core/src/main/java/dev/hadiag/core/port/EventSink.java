package dev.hadiag.core.port;

import dev.hadiag.core.event.Event;

/** Where the core sends events. */
public interface EventSink {

    /**
     * Makes the event durable. When this returns, the event is complete and visible to readers; when it
     * throws, nothing of it is visible.
     *
     * @throws EventSinkException when the event could not be written
     */
    void emit(Event event);
}
