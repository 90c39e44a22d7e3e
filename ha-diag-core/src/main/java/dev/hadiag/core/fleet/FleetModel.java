package dev.hadiag.core.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The fleet's state, from what the broker delivers: each node's agent status, health and open alerts, and the outages
 * the fleet has written. Pure (no I/O, time passed in) and not thread-safe: one caller at a time.
 *
 * <p>Rebuilt, never accumulated: every (re)connection to the broker is a sync ({@link #syncStarted} … {@link #synced}):
 * the broker sends every retained topic again, and an alert not announced again by the end of the sync was cleared while
 * the fleet was not listening, so it goes. Nothing is judged while the fleet is not connected: a broker outage makes
 * every node look quiet, and that must never page as N nodes gone.
 *
 * <p>Memory is bounded by the retained topics: one small {@link FleetAlert} per open alert, one entry per node; every
 * message is applied in constant time (a 50,000-alert load is 50,000 map updates).
 */
public final class FleetModel {

    private final Duration silentAfter;
    private final Duration offlineGrace;
    private final Supplier<String> ids;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, Outage> outages = new HashMap<>();
    private long generation;
    private boolean connected;
    private boolean synced;
    private Instant connectedAt = Instant.EPOCH;

    /**
     * @param silentAfter a node whose agent publishes health and has published nothing for this long (or three of its
     *                    heartbeats, if longer) is {@link Presence#SILENT}; zero: never
     * @param offlineGrace how long a node's status must stay offline before its {@code node_offline} is written: a broker
     *                    restart (every agent's last will, or a retained {@code offline} read before the agents reconnect)
     *                    and an agent's own restart are over within it, and must not page
     * @param ids         a fresh correlation id for each new outage
     */
    public FleetModel(Duration silentAfter, Duration offlineGrace, Supplier<String> ids) {
        this.silentAfter = silentAfter;
        this.offlineGrace = offlineGrace;
        this.ids = ids;
    }

    private static final class Node {
        boolean hasStatus;
        boolean online;
        OfflineCause offlineCause = OfflineCause.CONNECTION_LOST;
        /** Whether the status said why it is offline (MQTT 5's reason); if not, the health's {@code stopped} says it. */
        boolean reasonGiven;
        NodeHealth health;
        Instant lastSeen = Instant.EPOCH;
        /** Since when the fleet has seen its status offline (null while online). */
        Instant offlineSeenAt;
        final Map<String, Seen> alerts = new LinkedHashMap<>();
    }

    private record Seen(FleetAlert alert, long generation) {
    }

    /** An outage written before this start (read back from the fleet's events tree): not written again. */
    public void restore(Outage outage) {
        outages.put(outage.node(), outage);
    }

    /** Connected (again): the broker is about to send every retained topic. */
    public void syncStarted(Instant now) {
        generation++;
        connected = true;
        connectedAt = now;
    }

    /** Every retained topic of this connection has arrived: what was not announced again is gone. */
    public void synced() {
        for (Node node : nodes.values()) {
            node.alerts.values().removeIf(seen -> seen.generation() < generation);
        }
        nodes.values().removeIf(FleetModel::empty);
        synced = true;
    }

    /** The connection is lost: hold the view as it is, judge nothing until the next sync. */
    public void disconnected() {
        connected = false;
        synced = false;
    }

    public boolean live() {
        return connected && synced;
    }

    /**
     * The agent's status topic.
     *
     * @param online   {@code online} (else {@code offline})
     * @param stopped  an {@code offline} the agent said itself on a clean stop (not its last will)
     * @param retained delivered from the broker's store on subscribing, not as it happened
     */
    public void status(String name, boolean online, boolean stopped, boolean retained, Instant now) {
        status(name, online, stopped, true, retained, now);
    }

    /**
     * A status without a reason (MQTT 3.1.1, or an agent older than the reason): an {@code offline} is a planned stop when the
     * node's last health, whichever of the two the broker delivers first, says {@code stopped}.
     */
    public void statusWithoutReason(String name, boolean online, boolean retained, Instant now) {
        status(name, online, false, false, retained, now);
    }

    private void status(String name, boolean online, boolean stopped, boolean reasonGiven, boolean retained, Instant now) {
        Node node = node(name);
        node.reasonGiven = reasonGiven;
        if (online) {
            node.offlineSeenAt = null;
        } else if (node.offlineSeenAt == null) {
            node.offlineSeenAt = now; // a retained offline read again keeps the first time it was seen
        }
        node.hasStatus = true;
        node.online = online;
        node.offlineCause = stopped ? OfflineCause.STOPPED : OfflineCause.CONNECTION_LOST;
        if (!retained) {
            node.lastSeen = now;
        }
    }

    /** The status topic was cleared (an operator removing a decommissioned node). */
    public void statusCleared(String name) {
        Node node = nodes.get(name);
        if (node != null) {
            node.hasStatus = false;
            node.health = null;
            if (empty(node)) {
                nodes.remove(name);
            }
        }
    }

    public void health(String name, NodeHealth health, boolean retained, Instant now) {
        Node node = node(name);
        node.health = health;
        Instant seen = retained ? min(health.publishedAt(), now) : now;
        node.lastSeen = max(node.lastSeen, seen);
    }

    /** A live event from the node: a sign of life. */
    public void event(String name, Instant now) {
        Node node = node(name);
        node.lastSeen = max(node.lastSeen, now);
    }

    /** The retained alert topic {@code topic} (its last level) of the node announces an open alert. */
    public void alertOpen(String name, String topic, FleetAlert alert, boolean retained, Instant now) {
        Node node = node(name);
        node.alerts.remove(topic); // a repeat moves to its new opening time's place
        node.alerts.put(topic, new Seen(alert, generation));
        if (!retained) {
            node.lastSeen = max(node.lastSeen, now);
        }
    }

    /** The retained alert topic was cleared: the alert is resolved. */
    public void alertCleared(String name, String topic, Instant now) {
        Node node = nodes.get(name);
        if (node != null) {
            node.alerts.remove(topic);
            node.lastSeen = max(node.lastSeen, now);
            if (empty(node)) {
                nodes.remove(name);
            }
        }
    }

    /**
     * What has to be written now: nodes that went away without an open outage, and outages whose node is back (or was
     * removed). Nothing before the first sync of a connection. Not applied until {@link #recorded}: a write that fails is
     * asked for again on the next call.
     */
    public List<NodeChange> changes(Instant now) {
        if (!live()) {
            return List.of();
        }
        List<NodeChange> changes = new ArrayList<>();
        for (Map.Entry<String, Node> entry : nodes.entrySet()) {
            Node node = entry.getValue();
            if (!node.hasStatus) {
                continue;
            }
            Presence presence = presence(node, now);
            Outage outage = outages.get(entry.getKey());
            boolean confirmed = presence == Presence.SILENT
                    || (node.offlineSeenAt != null && !node.offlineSeenAt.plus(offlineGrace).isAfter(now));
            if (presence.away() && confirmed && outage == null) {
                changes.add(new NodeChange.WentOffline(entry.getKey(), ids.get(), cause(node, presence), node.lastSeen, now, alerts(node)));
            } else if (!presence.away() && outage != null) {
                changes.add(new NodeChange.CameBack(entry.getKey(), outage.correlationId(), outage.since(), now, false));
            }
        }
        for (Outage outage : outages.values()) {
            Node node = nodes.get(outage.node());
            if (node == null || !node.hasStatus) {
                changes.add(new NodeChange.CameBack(outage.node(), outage.correlationId(), outage.since(), now, true));
            }
        }
        changes.sort(Comparator.comparing(NodeChange::node));
        return changes;
    }

    /** The change's event is on disk. */
    public void recorded(NodeChange change) {
        if (change instanceof NodeChange.WentOffline offline) {
            outages.put(offline.node(), new Outage(offline.node(), offline.correlationId(), offline.detectedAt()));
        } else {
            outages.remove(change.node());
        }
    }

    /** Every node, by name. */
    public List<NodeView> nodes(Instant now) {
        List<NodeView> views = new ArrayList<>(nodes.size());
        for (Map.Entry<String, Node> entry : nodes.entrySet()) {
            Node node = entry.getValue();
            Presence presence = presence(node, now);
            Outage outage = outages.get(entry.getKey());
            views.add(new NodeView(entry.getKey(), presence, cause(node, presence), node.health, node.lastSeen,
                    alerts(node), outage == null ? "" : outage.correlationId()));
        }
        return views;
    }

    /** How many open alerts the fleet holds (all nodes). */
    public int alertCount() {
        return nodes.values().stream().mapToInt(node -> node.alerts.size()).sum();
    }

    private Presence presence(Node node, Instant now) {
        if (!node.hasStatus) {
            return Presence.UNKNOWN;
        }
        if (!node.online) {
            return Presence.OFFLINE;
        }
        // Only agents that publish health promise to be heard from; an agent that only relays events may be quiet for
        // days and well. Quiet is counted from this connection's start at the earliest: a fleet or broker restart is
        // not the node's silence.
        if (node.health != null && connected) {
            Duration limit = silentLimit(node.health);
            if (!limit.isZero() && Duration.between(max(node.lastSeen, connectedAt), now).compareTo(limit) > 0) {
                return Presence.SILENT;
            }
        }
        return Presence.ONLINE;
    }

    private Duration silentLimit(NodeHealth health) {
        if (silentAfter.isZero()) {
            return Duration.ZERO;
        }
        Duration three = health.heartbeat().multipliedBy(3);
        return three.compareTo(silentAfter) > 0 ? three : silentAfter;
    }

    private static OfflineCause cause(Node node, Presence presence) {
        if (presence == Presence.SILENT) {
            return OfflineCause.SILENT;
        }
        if (!node.reasonGiven && node.health != null && node.health.stopped()) {
            return OfflineCause.STOPPED;
        }
        return node.offlineCause;
    }

    private static List<FleetAlert> alerts(Node node) {
        List<FleetAlert> alerts = new ArrayList<>(node.alerts.size());
        node.alerts.values().forEach(seen -> alerts.add(seen.alert()));
        alerts.sort(Comparator.comparing(FleetAlert::openedAt));
        return alerts;
    }

    private Node node(String name) {
        return nodes.computeIfAbsent(name, n -> new Node());
    }

    private static boolean empty(Node node) {
        return !node.hasStatus && node.health == null && node.alerts.isEmpty();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
