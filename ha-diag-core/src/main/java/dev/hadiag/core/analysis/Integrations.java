package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config entries as causes: the level-2 rule that both the analysis and {@code system_health} apply. */
public final class Integrations {

    private Integrations() {
    }

    /** A config entry in a failing state that is neither disabled nor ignored: a level-2 cause. */
    public static boolean isWatchedFailure(ConfigEntry entry, IgnoreRules ignore) {
        return !entry.isDisabled() && entry.state().isFailing() && !ignore.ignoresIntegration(entry.domain());
    }

    /** The level-2 finding of a failed config entry, with HA's reason and the entities it owns. */
    public static Finding failed(ConfigEntry entry, List<String> owned, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domain", entry.domain());
        details.put("title", entry.title());
        details.put("state", entry.rawState());
        details.put("reason", entry.reason());
        details.put("entity_count", owned.size());
        String reason = entry.reason().isEmpty() ? "" : ": " + entry.reason();
        return new Finding(AlertType.INTEGRATION_FAILED, Severity.ERROR,
                new RootCause(RootCause.Kind.INTEGRATION, entry.entryId(), name(entry)),
                "Integration " + name(entry) + " is " + entry.rawState() + reason, owned, now, details);
    }

    static String name(ConfigEntry entry) {
        return entry.title().isEmpty() || entry.title().equals(entry.domain()) ? entry.domain() : entry.domain() + " (" + entry.title() + ")";
    }
}
