package dev.hadiag.core.fleet;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * One open alert of a node, as its retained alert topic announces it: only what the fleet shows, not the whole event
 * (a retained payload may carry hundreds of entities; 10 nodes × 5,000 alerts must stay small in memory).
 *
 * @param alertKey      the payload's {@code alert_key}, as written
 * @param summary       the opening's summary, cut to {@link #MAX_SUMMARY} characters
 * @param entityCount   how many entities the opening names
 */
public record FleetAlert(String alertKey, String type, Severity severity, String correlationId, Instant openedAt, String summary,
        int entityCount) {

    public static final int MAX_SUMMARY = 300;

    public FleetAlert {
        if (alertKey == null || type == null || severity == null || correlationId == null || openedAt == null || summary == null) {
            throw new IllegalArgumentException("a fleet alert needs every field");
        }
        summary = summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY) + "…" : summary;
    }

    /** The key taken apart by the one parser there is; empty for another tool's key (e.g. {@code mosquitto:down}). */
    public Optional<AlertKey> key() {
        return AlertKey.parse(alertKey);
    }

    /** The root-cause level the status page groups it under: the key's kind, or {@code other}. */
    public String level() {
        return key().map(parsed -> parsed.kind().wire()).orElse("other");
    }
}
