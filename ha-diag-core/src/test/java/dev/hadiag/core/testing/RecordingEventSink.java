package dev.hadiag.core.testing;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps every event in memory; can be told to fail, like a full disk, or to die right after a write, like a kill -9. */
public final class RecordingEventSink implements EventSink {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final AtomicInteger dieAfter = new AtomicInteger(-1);
    private final AtomicInteger failAfter = new AtomicInteger(-1);

    @Override
    public void emit(Event event) {
        if (failing || failAfter.getAndUpdate(n -> n > 0 ? n - 1 : n) == 0) {
            throw new EventSinkException("disk full (test)", null);
        }
        events.add(event);
        if (dieAfter.get() > 0 && dieAfter.decrementAndGet() == 0) {
            throw new ProcessKilled();
        }
    }

    /** The {@code n}th event from now is written, then the "process" dies before anything else happens. */
    public void killAfterWriting(int n) {
        dieAfter.set(n);
    }

    /** What a kill -9 is to the code under test: nothing after this point runs. */
    public static final class ProcessKilled extends RuntimeException {
        public ProcessKilled() {
            super("killed (test)", null, false, false);
        }
    }

    /** The events written so far, readable as the event files are. */
    public EventLog asLog() {
        return query -> events().stream().filter(query::matches);
    }

    /** The next {@code n} events are written, every one after them fails like a full disk. */
    public void failAfterWriting(int n) {
        failAfter.set(n);
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
