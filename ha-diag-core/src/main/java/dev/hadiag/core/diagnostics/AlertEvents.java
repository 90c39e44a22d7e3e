package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns alert decisions into events of the pipeline. Every payload carries {@code check},
 * {@code location_tag}, {@code ha_url} and {@code alert_key}; an opening event adds the root cause, the
 * affected entities and the finding's details; a resolution adds how long the alert was open and, when a
 * higher cause took it over, {@code absorbed_by}.
 */
public final class AlertEvents {

    public static final String SOURCE = "ha-diag-agent";
    public static final String SERVICE = "homeassistant";

    private final String node;
    private final String locationTag;
    private final String haUrl;

    private final Function<String, List<String>> attachedRepairs;

    /** @param haUrl HA's base URL as configured: it never holds the token, which travels in a header */
    public AlertEvents(String node, String locationTag, String haUrl) {
        this(node, locationTag, haUrl, key -> List.of());
    }

    /**
     * @param attachedRepairs the repair issues attached to an alert key ({@code domain/issue_id}), shown as
     *                        {@code attached_repairs} in its repeats and its resolution
     */
    public AlertEvents(String node, String locationTag, String haUrl, Function<String, List<String>> attachedRepairs) {
        this.node = node;
        this.locationTag = locationTag;
        this.haUrl = haUrl;
        this.attachedRepairs = attachedRepairs;
    }

    public String node() {
        return node;
    }

    public Event toEvent(String check, AlertDecision decision, Instant at) {
        if (decision instanceof AlertDecision.Open open) {
            return Event.of(at, node, open.finding().type().type(), open.finding().severity(), SOURCE, SERVICE,
                    open.correlationId(), alertPayload(check, open.finding(), null));
        }
        if (decision instanceof AlertDecision.Repeat repeat) {
            return Event.of(at, node, repeat.finding().type().type(), repeat.finding().severity(), SOURCE, SERVICE,
                    repeat.correlationId(), alertPayload(check, repeat.finding(), repeat.alert()));
        }
        if (decision instanceof AlertDecision.Resolve resolve) {
            return Event.of(at, node, resolve.alert().type().resolutionType(), Severity.INFO, SOURCE, SERVICE,
                    resolve.correlationId(), resolutionPayload(check, resolve, at));
        }
        throw new IllegalStateException("unexpected alert decision " + decision.getClass().getName());
    }

    /**
     * An info event that is no part of an alert (e.g. {@code ha_restarted}): no {@code alert_key}, so no consumer
     * takes it for a resolution.
     */
    public Event notice(String check, String type, String correlationId, String summary, Map<String, Object> details, Instant at) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("check", check);
        payload.put("location_tag", locationTag);
        payload.put("ha_url", haUrl);
        payload.put("summary", summary);
        details.forEach(payload::putIfAbsent);
        return Event.of(at, node, type, Severity.INFO, SOURCE, SERVICE, correlationId, payload);
    }

    private Map<String, Object> alertPayload(String check, Finding finding, OpenAlert repeated) {
        Map<String, Object> payload = common(check, finding.alertKey());
        payload.put("summary", finding.summary());
        payload.put("root_cause", finding.rootCause().toJson());
        payload.put("since", finding.since().toString());
        payload.put("entities", finding.entities());
        payload.put("entity_count", finding.entities().size());
        if (repeated != null) {
            payload.put("repeat", true);
            payload.put("opened_at", repeated.openedAt().toString());
            putAttachedRepairs(payload, finding.alertKey());
        }
        finding.details().forEach(payload::putIfAbsent);
        return payload;
    }

    private Map<String, Object> resolutionPayload(String check, AlertDecision.Resolve resolve, Instant at) {
        OpenAlert alert = resolve.alert();
        Map<String, Object> payload = common(check, alert.alertKey());
        String[] parts = alert.alertKey().split(":", 3);
        if (parts.length == 3) {
            payload.put("root_cause", Map.of("kind", parts[1], "id", parts[2]));
        }
        String subject = parts.length == 3 ? parts[1] + " " + parts[2] : alert.alertKey();
        payload.put("summary", resolve.absorbedBy()
                .map(root -> alert.type().type() + " for " + subject + " is now explained by " + root)
                .orElse(alert.type().type() + " for " + subject + " is over"));
        payload.put("opened_at", alert.openedAt().toString());
        payload.put("duration_s", Duration.between(alert.openedAt(), at).toSeconds());
        payload.put("entities", alert.entities());
        payload.put("entity_count", alert.entities().size());
        resolve.absorbedBy().ifPresent(root -> payload.put("absorbed_by", root));
        putAttachedRepairs(payload, alert.alertKey());
        return payload;
    }

    private void putAttachedRepairs(Map<String, Object> payload, String alertKey) {
        List<String> repairs = attachedRepairs.apply(alertKey);
        if (!repairs.isEmpty()) {
            payload.put("attached_repairs", repairs);
        }
    }

    private Map<String, Object> common(String check, String alertKey) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("check", check);
        payload.put("location_tag", locationTag);
        payload.put("ha_url", haUrl);
        payload.put("alert_key", alertKey);
        return payload;
    }
}
