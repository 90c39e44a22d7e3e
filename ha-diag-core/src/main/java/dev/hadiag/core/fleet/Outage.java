package dev.hadiag.core.fleet;

import java.time.Instant;

/** A {@code node_offline} written and not yet resolved: kept in the fleet's events tree, read back at its start. */
public record Outage(String node, String correlationId, Instant since) {
}
