package dev.hadiag.app.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay: one thread per destination, each with its own cursor, so a webhook that is down never holds
 * back MQTT (or the other way round). The agent writes events as always; the relay only reads the tree.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RelayLedger ledger;
    private final java.nio.file.Path eventsDir;
    private final List<EventRelay> relays = new ArrayList<>();
    private final List<Destination> destinations = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private Relay(RelaySettings settings, Clock clock, java.util.function.Supplier<RelayHealth> health) {
        this.ledger = RelayLedger.open(settings.stateDb());
        this.eventsDir = settings.eventsDir();
        EventTree tree = new EventTree(settings.eventsDir());
        settings.mqtt().ifPresent(mqtt -> destinations.add(new MqttDestination(mqtt, settings.node(), clock, health)));
        settings.webhook().ifPresent(webhook -> destinations.add(new WebhookDestination(webhook)));
        for (Destination destination : destinations) {
            relays.add(new EventRelay(tree, ledger, destination, clock, settings.poll(), MAX_BACKOFF));
        }
    }

    /** Opens the relay's state (which may fail) without sending anything yet: {@link #start()} does. */
    /** @param health what the relay publishes of its agent on the health topic, asked at each heartbeat */
    public static Relay open(RelaySettings settings, Clock clock, java.util.function.Supplier<RelayHealth> health) {
        return new Relay(settings, clock, health);
    }

    /** Starts relaying in the background. */
    public static Relay start(RelaySettings settings, Clock clock, java.util.function.Supplier<RelayHealth> health) {
        Relay relay = open(settings, clock, health);
        relay.start();
        return relay;
    }

    /** Starts one thread per destination. */
    public void start() {
        for (EventRelay each : relays) {
            Thread thread = new Thread(each, "ha-diag-relay-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
            LOG.info("relaying {} to {}", eventsDir, each.destinationName());
        }
    }

    /**
     * Sends the backlog once, in the caller's thread, and stops at the first destination that fails.
     *
     * @return how many events were delivered
     * @throws RelayException when a destination is down (its events stay on disk for the next run)
     */
    public static int drain(RelaySettings settings, Clock clock, java.util.function.Supplier<RelayHealth> health) {
        Relay relay = new Relay(settings, clock, health);
        try {
            int delivered = 0;
            for (EventRelay each : relay.relays) {
                try {
                    delivered += each.pass();
                } catch (DeliveryException e) {
                    throw new RelayException(each.destinationName() + ": " + e.getMessage() + " (delivered " + delivered
                            + " before; the rest stays on disk)", e);
                }
            }
            return delivered;
        } finally {
            relay.close();
        }
    }

    /** Each destination's state, in the order of the settings (MQTT, then the webhook). */
    public List<DestinationStatus> status() {
        return relays.stream().map(EventRelay::status).toList();
    }

    /** Events written a moment ago: relay them now rather than at the next poll. */
    public void wake() {
        relays.forEach(EventRelay::wake);
    }

    @Override
    public void close() {
        relays.forEach(EventRelay::stop);
        for (Thread thread : threads) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        destinations.forEach(Destination::close);
        ledger.close();
    }
}
