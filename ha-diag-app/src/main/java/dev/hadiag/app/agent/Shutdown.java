package dev.hadiag.app.agent;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps of a shutdown, run in the order they were added, each one even when an earlier one threw: a resource
 * that fails to close must not leave the database or a thread open behind it.
 */
final class Shutdown {

    /** One thing to stop; may throw anything. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private record Named(String name, Step step) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private final List<Named> steps = new ArrayList<>();

    /** Adds a step; {@code null} (a resource never opened) adds nothing. */
    Shutdown then(String name, Object resource, Step step) {
        if (resource != null) {
            steps.add(new Named(name, step));
        }
        return this;
    }

    /**
     * Runs every step, logging each failure.
     *
     * @throws IllegalStateException after all steps ran, when any failed: the first failure as its cause, the others
     *                               suppressed
     */
    void run() {
        IllegalStateException failed = null;
        for (Named named : steps) {
            try {
                named.step().run();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("stopping {} failed: {}", named.name(), e.toString());
                if (failed == null) {
                    failed = new IllegalStateException("stopping " + named.name() + " failed: " + e.getMessage(), e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
