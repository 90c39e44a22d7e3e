package dev.hadiag.core.ha;

import dev.hadiag.core.event.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code system_health/info}: per integration domain, its info values. A value that HA
 * could not determine is a map {@code {"type": "failed", "error": "unreachable|timeout|unknown"}}; a
 * domain whose whole callback failed has the key {@code error} holding such a map.
 */
public record SystemHealth(Map<String, Map<String, Object>> domains) {

    public SystemHealth {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        domains.forEach((domain, info) -> copy.put(domain, JsonValues.copyObject(info, domain)));
        domains = java.util.Collections.unmodifiableMap(copy);
    }

    /** One value HA reported as failed. */
    public record Failure(String domain, String key, String error) {
    }

    public List<Failure> failures() {
        List<Failure> failures = new ArrayList<>();
        domains.forEach((domain, info) -> info.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && "failed".equals(map.get("type"))) {
                failures.add(new Failure(domain, key, String.valueOf(map.get("error"))));
            }
        }));
        return List.copyOf(failures);
    }
}
