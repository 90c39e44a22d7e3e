package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.store.Withheld;
import java.time.Instant;
import java.util.Optional;

/**
 * One reason the {@link DeliveryStage} may withhold an alert's events. The stage asks its rules in order: the storm
 * guard's plan for the run ({@link StormRule}), then silences ({@link SilenceGate}; maintenance is a silence); a new
 * reason is one more rule in that list. The first that withholds an opening names the {@link Withheld} record's reason;
 * what the record then withholds (repeats, the resolution) is the stage's rule, the same for every reason. An operator's
 * acknowledgement is such a record made by hand ({@link Diagnostics#acknowledge}), so it needs no rule.
 */
interface HoldingRule {

    /** Why this rule withholds an opening, if it does. */
    Optional<Withheld.Reason> holdsOpening(String check, AlertDecision.Open open, Instant at);

    /** Whether it withholds one repeat of an alert whose opening was written (nothing is recorded: the next is asked again). */
    default boolean holdsRepeat(String check, AlertDecision.Repeat repeat, Instant at) {
        return false;
    }

    /** Whether it still withholds an opening withheld earlier; one no rule withholds any more is written. */
    default boolean holdsStill(Withheld withheld, Instant now) {
        return false;
    }
}
