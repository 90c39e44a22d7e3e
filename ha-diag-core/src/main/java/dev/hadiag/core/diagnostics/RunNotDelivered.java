package dev.hadiag.core.diagnostics;

/**
 * A run's decisions could not all be delivered (the event sink or the store failed part-way): says how many events the
 * run wrote before that, so its report counts what is on disk.
 */
final class RunNotDelivered extends RuntimeException {

    private final int written;

    RunNotDelivered(int written, RuntimeException cause) {
        super(cause.getMessage(), cause);
        this.written = written;
    }

    int written() {
        return written;
    }
}
