package dev.hadiag.core.event;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events to read: a half-open time range {@code [since, until)} and optional filters, where an
 * empty set means "any". Build with {@link #all()} and the {@code with…} methods.
 */
public record EventQuery(
        Instant since,
        Instant until,
        Set<String> nodes,
        Set<String> types,
        Set<Severity> severities,
        Set<String> correlationIds) {

    public EventQuery {
        since = since == null ? Instant.MIN : since;
        until = until == null ? Instant.MAX : until;
        if (since.isAfter(until)) {
            throw new IllegalArgumentException("since (" + since + ") is after until (" + until + ")");
        }
        nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
        types = types == null ? Set.of() : Set.copyOf(types);
        severities = severities == null || severities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(severities));
        correlationIds = correlationIds == null ? Set.of() : Set.copyOf(correlationIds);
    }

    /** Every event. */
    public static EventQuery all() {
        return new EventQuery(Instant.MIN, Instant.MAX, Set.of(), Set.of(), Set.of(), Set.of());
    }

    public EventQuery withSince(Instant value) {
        return new EventQuery(value, until, nodes, types, severities, correlationIds);
    }

    public EventQuery withUntil(Instant value) {
        return new EventQuery(since, value, nodes, types, severities, correlationIds);
    }

    public EventQuery withNodes(Set<String> value) {
        return new EventQuery(since, until, value, types, severities, correlationIds);
    }

    public EventQuery withTypes(Set<String> value) {
        return new EventQuery(since, until, nodes, value, severities, correlationIds);
    }

    public EventQuery withSeverities(Set<Severity> value) {
        return new EventQuery(since, until, nodes, types, value, correlationIds);
    }

    public EventQuery withCorrelationIds(Set<String> value) {
        return new EventQuery(since, until, nodes, types, severities, value);
    }

    /** Whether the query accepts events of this node at all (lets a reader skip whole directories). */
    public boolean acceptsNode(String node) {
        return nodes.isEmpty() || nodes.contains(node);
    }

    /** Whether an event passes every filter. */
    public boolean matches(Event event) {
        return !event.timestamp().isBefore(since)
                && event.timestamp().isBefore(until)
                && acceptsNode(event.node())
                && (types.isEmpty() || types.contains(event.type()))
                && (severities.isEmpty() || severities.contains(event.severity()))
                && (correlationIds.isEmpty() || correlationIds.contains(event.correlationId()));
    }
}
