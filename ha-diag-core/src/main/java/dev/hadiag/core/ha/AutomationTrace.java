package dev.hadiag.core.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * One stored run of an automation ({@code trace/list}).
 *
 * @param itemId          the automation's unique id (its YAML/UI {@code id}), not the entity id
 * @param scriptExecution {@code finished}, {@code error}, {@code aborted}, …; empty while running
 * @param error           HA's exception text when the run raised, else empty
 * @param finishOrNull    when the run ended; null while it is going on (read it with {@link #finish()})
 */
public record AutomationTrace(String itemId, String runId, String state, String scriptExecution, Instant start,
        Instant finishOrNull, String error, String lastStep, String trigger) {

    public AutomationTrace {
        Strings.required("item_id", itemId);
        Strings.required("run_id", runId);
        state = Strings.orEmpty(state);
        scriptExecution = Strings.orEmpty(scriptExecution);
        if (start == null) {
            throw new IllegalArgumentException("timestamp.start is required");
        }
        error = Strings.orEmpty(error);
        lastStep = Strings.orEmpty(lastStep);
        trigger = Strings.orEmpty(trigger);
    }

    /** When the run ended; empty while it is going on. */
    public Optional<Instant> finish() {
        return Optional.ofNullable(finishOrNull);
    }

    /** The run raised an error (as opposed to finishing, failing its conditions, or being aborted on purpose). */
    public boolean failed() {
        return "error".equals(scriptExecution) || (!error.isEmpty() && scriptExecution.isEmpty() && finishOrNull != null);
    }
}
