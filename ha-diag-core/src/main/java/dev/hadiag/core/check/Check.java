package dev.hadiag.core.check;

import dev.hadiag.core.port.HomeAssistant;

/**
 * One of the agent's checks: reads what it needs from HA and reports the current causes. A check does
 * not decide what to emit (the alert lifecycle does) and does not catch HA's exceptions: the
 * {@link dev.hadiag.core.diagnostics.Diagnostics} service turns those into skipped or failed runs. HA data
 * the adapter could parse but that makes no sense to a check is skipped, never thrown.
 */
public interface Check {

    /** The name operators use: in the config, the CLI, {@code /trigger/{check}} and every payload. */
    String name();

    /** Whether the check needs HA's core to be running (not starting), like every check but the heartbeat. */
    default boolean needsRunningHa() {
        return true;
    }

    CheckOutcome run(HomeAssistant ha, CheckContext context);
}
