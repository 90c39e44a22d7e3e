package dev.hadiag.core.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * One stored run of an automation ({@code trace/list}).
 *
 * @param itemId          the automation's unique id (its YAML/UI {@code id}), not the entity id
 * @param scriptExecution {@code finished}, {@code error}, {@code aborted}, …; empty while running
 * @param error           HA's exception text when the run raised, else empty
 * @param finish          absent while the run is going on
 */
public record AutomationTrace(String itemId, String runId, String state, String scriptExecution, Instant start,
        Optional<Instant> finish, String error, String lastStep, String trigger) {

    public AutomationTrace {
        Strings.required("item_id", itemId);
        Strings.required("run_id", runId);
        state = Strings.orEmpty(state);
        scriptExecution = Strings.orEmpty(scriptExecution);
        if (start == null) {
            throw new IllegalArgumentException("timestamp.start is required");
        }
        finish = finish == null ? Optional.empty() : finish;
        error = Strings.orEmpty(error);
        lastStep = Strings.orEmpty(lastStep);
        trigger = Strings.orEmpty(trigger);
    }

    /** The run raised an error (as opposed to finishing, failing its conditions, or being aborted on purpose). */
    public boolean failed() {
        return "error".equals(scriptExecution) || (!error.isEmpty() && scriptExecution.isEmpty() && finish.isPresent());
    }
}
