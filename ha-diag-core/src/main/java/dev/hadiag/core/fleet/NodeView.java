package dev.hadiag.core.fleet;

import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node as the fleet shows it now.
 *
 * @param cause       why it is away ({@code OFFLINE} or {@code SILENT}); meaningless otherwise
 * @param healthOrNull the last health it published; null until one arrived (read it through {@link #health()})
 * @param lastSeen    the newest sign of life (a publication received, or a retained health's own time); EPOCH if none
 * @param alerts      its open alerts, oldest first
 * @param outageId    the correlation id of its open {@code node_offline}, "" when none is open
 */
public record NodeView(String node, Presence presence, OfflineCause cause, NodeHealth healthOrNull, Instant lastSeen,
        List<FleetAlert> alerts, String outageId) {

    public NodeView {
        alerts = List.copyOf(alerts);
    }

    /** The last health it published, if one arrived. */
    public Optional<NodeHealth> health() {
        return Optional.ofNullable(healthOrNull);
    }

    /** Open alerts by severity, every severity present (0 where none). */
    public Map<Severity, Integer> alertsBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        alerts.forEach(alert -> counts.merge(alert.severity(), 1, Integer::sum));
        return counts;
    }
}
