package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per check, the names of its latest run's causes, by alert key. */
    private final Map<String, Map<String, String>> namesByCheck = new ConcurrentHashMap<>();
    /** The names of opened alerts, for those no run finds (the watchdog's); forgotten when resolved. */
    private final Map<String, String> signalledNames = new ConcurrentHashMap<>();

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
            RootCause cause = open.finding().rootCause();
            if (!cause.name().equals(cause.id())) {
                signalledNames.put(open.finding().alertKey(), cause.name());
            }
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

    /**
     * An info event of the agent's own audit trail (a silence's start or end): the common fields with an {@code alert_key}
     * of its own ({@code silence:<id>}), which names no alert of HA's, so a consumer can pair the start and the end.
     */
    public Event audit(String check, String type, String correlationId, String alertKey, String summary, Map<String, Object> details,
            Instant at) {
        Map<String, Object> payload = common(check, alertKey);
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
        Optional<AlertKey> key = AlertKey.parse(alert.alertKey());
        String name = nameOf(alert, key.map(AlertKey::id).orElse(alert.alertKey()));
        key.ifPresent(k -> payload.put("root_cause", name.equals(k.id()) ? Map.of("kind", k.kind().wire(), "id", k.id())
                : Map.of("kind", k.kind().wire(), "id", k.id(), "name", name)));
        // Named as the opening named it (issue 24): "device Kitchen plug", not the registry id.
        String subject = key.map(k -> k.kind().wire() + " " + name).orElse(alert.alertKey());
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

    /**
     * Remembers the names of a completed run's causes, for the resolutions of its next run: a cause that is
     * gone is resolved by the run that no longer finds it. Call after the run's decisions are written. Only the
     * current causes are kept, so memory follows what is wrong now; after a restart of the agent, a cause that
     * no run has found again is named by its id.
     */
    public void rememberNames(String check, List<Finding> findings) {
        Map<String, String> names = new HashMap<>();
        for (Finding finding : findings) {
            if (!finding.rootCause().name().equals(finding.rootCause().id())) {
                names.put(finding.alertKey(), finding.rootCause().name());
            }
        }
        if (names.isEmpty()) {
            namesByCheck.remove(check);
        } else {
            namesByCheck.put(check, names);
        }
    }

    /** @param id the alert key's id, the name when nothing better is known */
    private String nameOf(OpenAlert alert, String id) {
        String signalled = signalledNames.remove(alert.alertKey()); // resolved: forgotten either way
        Map<String, String> names = namesByCheck.get(alert.check());
        String name = names == null ? null : names.get(alert.alertKey());
        return name != null ? name : signalled != null ? signalled : id;
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
