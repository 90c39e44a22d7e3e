package dev.hadiag.http;

import dev.hadiag.core.diagnostics.AlertListing;
import dev.hadiag.core.store.OpenAlert;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code GET /alerts} and acknowledging: the open alerts with what they say and whether they are silenced, held or acknowledged. */
final class AlertRoutes {

    private AlertRoutes() {
    }

    /** The open alerts as listed; a store or tree that cannot be read gives fewer facts, never an error. */
    static List<AlertListing.Listed> listed(AgentView agent, Instant now) {
        return AlertListing.list(agent.openAlerts(), agent.withheld(), agent.silences(), AlertListing.currentFindings(agent.lastReports().values()),
                query -> agent.events(query).stream(), now);
    }

    /** The open alert a correlation id names (the path carries it: alert keys hold colons and slashes). */
    static Optional<OpenAlert> byCorrelationId(AgentView agent, String correlationId) {
        return agent.openAlerts().stream().filter(alert -> alert.correlationId().equals(correlationId)).findFirst();
    }
}
