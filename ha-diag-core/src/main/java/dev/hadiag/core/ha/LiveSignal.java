package dev.hadiag.core.ha;

import java.time.Instant;

/** What the live WebSocket connection reports to the core: the watchdog's only input besides the clock. */
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

    /** HA rejected the token; the connection retries only slowly, never in a loop. */
    record AuthRejected(Instant at, String message) implements LiveSignal {
    }
}
