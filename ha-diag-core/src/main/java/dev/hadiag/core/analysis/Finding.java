package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.JsonValues;
import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One root cause a check found this run: what an alert opens for, one per cause, never one per symptom.
 *
 * @param entities every affected entity id (not a sample), sorted
 * @param since    when the cause began, as far as the agent can tell
 * @param details  what the operator needs to act (HA's error text, the device name, …), JSON-shaped
 */
public record Finding(AlertType type, Severity severity, RootCause rootCause, String summary, List<String> entities,
        Instant since, Map<String, Object> details) {

    public Finding {
        if (type == null || severity == null || rootCause == null || since == null) {
            throw new IllegalArgumentException("finding needs a type, severity, root cause and since");
        }
        summary = summary == null ? "" : summary;
        entities = entities.stream().sorted().distinct().toList();
        details = JsonValues.copyObject(details, "details");
    }

    /**
     * The alert this finding opens, stable across runs: the alert type and the root cause, e.g.
     * {@code ha_entity_unavailable_long:device:2b32a0cf…}. The type is part of it because one cause can
     * be behind two alerts (an integration whose entities are all down, then the same integration failed).
     */
    public String alertKey() {
        return AlertKey.format(type, rootCause);
    }
}
