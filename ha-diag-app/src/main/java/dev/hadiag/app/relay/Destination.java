package dev.hadiag.app.relay;

/** Where the relay sends events: an MQTT broker, a webhook. One relay thread, one cursor per destination. */
interface Destination extends AutoCloseable {

    /** Names the destination's cursor in the ledger: changing it starts the destination over from the oldest day. */
    String name();

    /** Whether this destination wants the event at all (a webhook wants alert events only). */
    boolean wants(RelayEvent event);

    /** Delivers the event, or throws; returns only when the destination has acknowledged it. */
    void deliver(RelayEvent event) throws DeliveryException;

    /** Between passes, when nothing waits: keep the destination's own signs of life going (MQTT's health topic). */
    default void idle() throws DeliveryException {
    }

    /** After a failed delivery: drop the connection, so the next delivery starts a new one. */
    void reset();

    @Override
    void close();
}
