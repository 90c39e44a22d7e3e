package dev.hadiag.app.relay;

import java.time.Instant;
import java.util.Optional;

/**
 * How one relay destination fares, for {@code /health}, {@code /metrics} and the status page: a relay that fails must
 * show where the operator looks, not only in the log.
 *
 * @param destination its name as the log has it (a webhook's path only as a digest)
 * @param failure     why it fails now ("" while it delivers): down (the events wait on disk) or refusing events
 * @param failingSince when it began to fail; meaningless while {@code failure} is empty
 * @param delivered   events it has taken since the agent started
 * @param refused     events it refused for good since the agent started (skipped, never sent again)
 */
public record DestinationStatus(String destination, String failure, Instant failingSince, long delivered, long refused) {

    public boolean failing() {
        return !failure.isEmpty();
    }

    /** When it began to fail, while it does. */
    public Optional<Instant> since() {
        return failing() ? Optional.of(failingSince) : Optional.empty();
    }
}
