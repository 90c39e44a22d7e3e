package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code update.*} entities in state {@code on}: one {@code ha_update_available} per entity, with the
 * installed and the latest version. Once HA reports it {@code off} (installed, or skipped by the
 * operator) the alert resolves with {@code ha_update_installed}.
 */
public final class UpdatesAvailableCheck implements Check {

    private final IgnoreRules ignore;

    public UpdatesAvailableCheck(IgnoreRules ignore) {
        this.ignore = ignore;
    }

    @Override
    public String name() {
        return BuiltInCheck.UPDATES_AVAILABLE.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        List<Finding> findings = new ArrayList<>();
        int[] updateEntities = {0};
        ha.forEachState(state -> {
            if (!"update".equals(state.domain())) {
                return;
            }
            updateEntities[0]++;
            if (!"on".equals(state.state()) || ignore.ignoresEntity(state.entityId())) {
                return;
            }
            Map<String, Object> attributes = state.attributes();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("entity_id", state.entityId());
            details.put("title", text(attributes.get("title")));
            details.put("installed_version", text(attributes.get("installed_version")));
            details.put("latest_version", text(attributes.get("latest_version")));
            details.put("release_url", text(attributes.get("release_url")));
            details.put("in_progress", Boolean.TRUE.equals(attributes.get("in_progress")));
            findings.add(new Finding(AlertType.UPDATE_AVAILABLE, Severity.INFO,
                    new RootCause(RootCause.Kind.UPDATE, state.entityId(), state.friendlyName()),
                    state.friendlyName() + ": " + details.get("installed_version") + " → " + details.get("latest_version"),
                    List.of(state.entityId()), state.lastChanged(), details));
        });
        return new CheckOutcome.Completed(findings, List.of(), updateEntities[0] + " update entities");
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
