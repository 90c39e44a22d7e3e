package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.store.Withheld;
import java.time.Instant;
import java.util.Optional;

/** The {@link StormGuard}'s plan for one run as the first holding rule: the openings beyond the limit are withheld for good. */
record StormRule(StormGuard.Plan plan) implements HoldingRule {

    private static final Withheld.Reason STORM = new Withheld.Storm();

    @Override
    public Optional<Withheld.Reason> holdsOpening(String check, AlertDecision.Open open, Instant at) {
        return plan.held().contains(open.alertKey()) ? Optional.of(STORM) : Optional.empty();
    }
}
