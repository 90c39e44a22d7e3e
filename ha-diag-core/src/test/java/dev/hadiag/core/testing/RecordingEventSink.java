package dev.hadiag.core.testing;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event in memory; can be told to fail, like a full disk. */
public final class RecordingEventSink implements EventSink {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public void emit(Event event) {
        if (failing) {
            throw new EventSinkException("disk full (test)", null);
        }
        events.add(event);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public void clear() {
        events.clear();
    }
}
