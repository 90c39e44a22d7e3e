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

    /**
     * The connection is gone (closed, failed, silent too long) or could not be made; a reconnect follows.
     * {@code cause} is what the failure says about HA (see {@link DisconnectCause}).
     */
    record Disconnected(Instant at, String reason, DisconnectCause cause) implements LiveSignal {
        public Disconnected {
            cause = cause == null ? DisconnectCause.OTHER : cause;
        }

        /** A loss that says nothing about why. */
        public Disconnected(Instant at, String reason) {
            this(at, reason, DisconnectCause.OTHER);
        }
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

    /**
     * HA announced that it is stopping ({@code homeassistant_stop} or {@code homeassistant_final_write}
     * arrived, or {@code homeassistant.restart}/{@code stop} was called): the disconnect that follows is planned.
     */
    record StopAnnounced(Instant at, String haEvent) implements LiveSignal {
    }

    /** What a disconnect or a failed attempt says about HA: the planned-restart logic decides from it. */
    enum DisconnectCause {
        /** HA closed the socket with a normal close frame, as HA 2026.11 does to every connection when it stops. */
        CLOSED_BY_HA,
        /** The host answered at once that nothing listens (connection refused, a proxy's 502/503): HA's process is down. */
        REFUSED,
        /** No answer at all (a timeout, no route): the network, or a host that is gone. */
        UNREACHABLE,
        /** Anything else (a reset socket, a malformed frame, a silent socket): says nothing about HA. */
        OTHER
    }
}
