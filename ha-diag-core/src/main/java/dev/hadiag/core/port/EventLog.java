package dev.hadiag.core.port;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import java.util.stream.Stream;

/** The events written so far, by this tool or any other that follows the event-system schema. */
public interface EventLog {

    /**
     * The events matching the query, oldest first, read lazily: a large log is never loaded whole.
     * Unreadable or foreign entries are skipped (and logged), never fatal. Close the stream when done.
     *
     * @throws EventLogException when the log itself cannot be read (e.g. its root is not a directory)
     */
    Stream<Event> find(EventQuery query);
}
