package dev.hadiag.core.silence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A silence as JSON-shaped values: one shape for the HTTP API, {@code silence list --json} and the audit events. */
public final class SilenceJson {

    private SilenceJson() {
    }

    public static Map<String, Object> silence(Silence silence, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", silence.id());
        body.put("matchers", matchers(silence));
        body.put("starts_at", silence.startsAt().toString());
        body.put("ends_at", silence.endsAt().toString());
        body.put("state", silence.stateAt(now));
        body.put("comment", silence.comment());
        body.put("created_by", silence.createdBy());
        body.put("expired_early", silence.expiredEarly());
        body.put("maintenance", MaintenanceMode.isMaintenance(silence));
        return body;
    }

    public static List<Map<String, String>> matchers(Silence silence) {
        return silence.matchers().stream().map(m -> Map.of("field", m.field().wire(), "glob", m.glob())).toList();
    }
}
