package dev.hadiag.core.ha;

import java.time.Instant;

/** What the live WebSocket connection reports to the core: the watchdog's only input besides the clock, and the state changes the stream-fed checks learn from. */
public sealed interface LiveSignal {

    Instant at();

    /** Authenticated and subscribed; from now on every frame is a sign of life. */
    record Connected(Instant at, String haVersion) implements LiveSignal {
    }

    /** Any frame from HA: an event, a pong, a result. */
    record Frame(Instant at) implements LiveSignal {
    }

    /** The connection is gone (closed, failed, silent too long) or could not be made; a reconnect follows. */
    record Disconnected(Instant at, String reason) implements LiveSignal {
    }

    /**
     * One {@code state_changed} event, cut down to what the stream's detectors read (issue 15): the entity,
     * its state before and after ("" when it was added or removed), and when its integration reported the
     * new state ({@code last_reported}, else {@code last_updated}). Not a sign of life for the watchdog:
     * its frame was reported as a {@link Frame} already.
     */
    record StateChanged(Instant at, String entityId, String oldState, String newState, Instant reportedAt) implements LiveSignal {
        public StateChanged {
            Strings.required("entity_id", entityId);
            oldState = Strings.orEmpty(oldState);
            newState = Strings.orEmpty(newState);
            if (at == null || reportedAt == null) {
                throw new IllegalArgumentException("a state change needs its times");
            }
        }
    }

    /** HA rejected the token; the connection retries only slowly, never in a loop. */
    record AuthRejected(Instant at, String message) implements LiveSignal {
    }
}
