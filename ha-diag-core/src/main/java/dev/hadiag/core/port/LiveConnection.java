package dev.hadiag.core.port;

import dev.hadiag.core.ha.LiveSignal;
import java.util.function.Consumer;

/**
 * The persistent WebSocket to HA: once started it connects, authenticates, subscribes to state changes,
 * pings when quiet, and reconnects after a loss, reporting everything as {@link LiveSignal}s.
 */
public interface LiveConnection extends AutoCloseable {

    /** Starts connecting in the background; signals go to {@code listener} from the connection's own threads. */
    void start(Consumer<LiveSignal> listener);

    /** Whether an authenticated connection is up right now. */
    boolean isConnected();

    /** Stops reconnecting and closes the connection; no signal follows the return. */
    @Override
    void close();
}
