package dev.hadiag.core.live;

/**
 * Whether the operator has declared maintenance (issue #16's {@code maintenance_entity}): while it is on, any
 * disconnect of HA counts as a planned restart and pages no one within {@code websocket.restart_grace}.
 */
@FunctionalInterface
public interface MaintenanceState {

    /** No maintenance source configured. */
    MaintenanceState NEVER = () -> false;

    boolean active();
}
