package dev.hadiag.core.fleet;

import java.time.Instant;
import java.util.List;

/** What the fleet has to write about a node: it went away, or it is back. Applied by {@link FleetModel#recorded}. */
public sealed interface NodeChange {

    String node();

    String correlationId();

    /**
     * The node went away: {@code node_offline}.
     *
     * @param openAlerts its open alerts at that moment (what may be going on unseen there now)
     */
    record WentOffline(String node, String correlationId, OfflineCause cause, Instant lastSeen, Instant detectedAt,
            List<FleetAlert> openAlerts) implements NodeChange {
        public WentOffline {
            openAlerts = List.copyOf(openAlerts);
        }
    }

    /**
     * The node is back (or was removed from the broker): {@code node_online} with its outage's correlation id.
     *
     * @param removed its status topic was cleared (a decommissioned node), rather than saying online again
     */
    record CameBack(String node, String correlationId, Instant offlineSince, Instant backAt, boolean removed) implements NodeChange {
    }
}
