package dev.hadiag.core.silence;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether HA's {@code maintenance_entity} has maintenance on, as the agent last saw it: while it is, every alert is
 * silenced. Thread-safe; anything that must not page during maintenance (planned restarts) asks {@link #isActive()}.
 */
public final class MaintenanceMode {

    /** The {@code created_by} prefix of the silence that stands for maintenance, followed by the entity id. */
    public static final String CREATED_BY_PREFIX = "maintenance_entity:";

    private final AtomicBoolean active = new AtomicBoolean();

    public boolean isActive() {
        return active.get();
    }

    /** Whether a silence stands for a maintenance entity's state (any entity). */
    public static boolean isMaintenance(Silence silence) {
        return silence.createdBy().startsWith(CREATED_BY_PREFIX);
    }

    /**
     * Sets the state from the silences active now (the gate that keeps them calls it).
     *
     * @return whether this changed the state
     */
    public boolean update(boolean on) {
        return active.getAndSet(on) != on;
    }
}
