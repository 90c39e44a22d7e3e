package dev.hadiag.core.alert;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Which correlation id an opening gets, so that one incident keeps one id across crashes and absorptions. */
public final class CorrelationIds {

    private final DiagnosticStore store;
    private final Supplier<String> fresh;

    /** @param fresh a new id, when no earlier one belongs to the alert */
    public CorrelationIds(DiagnosticStore store, Supplier<String> fresh) {
        this.store = store;
        this.fresh = fresh;
    }

    /** Alert keys whose opening was intended but not marked sent, with the correlation id it was given. */
    Map<String, String> reserved() {
        Map<String, String> reserved = new HashMap<>();
        for (AlertIntent intent : store.intents()) {
            if (intent.kind() == AlertIntent.Kind.OPEN) {
                reserved.put(intent.alertKey(), intent.correlationId());
            }
        }
        return reserved;
    }

    /**
     * The id of a run's new opening: the one an unsent intent reserved for the key (its event never made it
     * to disk), else the absorbed alert's when the cause has lasted since before it was absorbed (the same
     * incident showing again under its own key), else a new one.
     */
    String forOpening(Finding finding, Map<String, String> reserved) {
        String id = reserved.get(finding.alertKey());
        if (id != null) {
            return id;
        }
        Optional<AbsorbedAlert> absorbed = store.lastAbsorbed(finding.alertKey());
        if (absorbed.isPresent() && !finding.since().isAfter(absorbed.get().resolvedAt())) {
            return absorbed.get().correlationId();
        }
        return fresh.get();
    }

    /** The id of an event-reported opening: the reserved one, else a new one (it is never absorbed). */
    public String forSignalled(String alertKey) {
        String id = reserved().get(alertKey);
        return id != null ? id : fresh.get();
    }
}
