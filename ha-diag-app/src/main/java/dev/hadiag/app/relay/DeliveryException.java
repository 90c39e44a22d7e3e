package dev.hadiag.app.relay;

/**
 * A destination did not take an event. {@code retry}: the destination is down or busy, and the same event is tried
 * again (nothing after it goes first); otherwise it refused this event for good, which is logged and skipped.
 */
final class DeliveryException extends Exception {

    private final boolean retry;

    DeliveryException(String message, boolean retry, Throwable cause) {
        super(message, cause);
        this.retry = retry;
    }

    boolean retry() {
        return retry;
    }
}
