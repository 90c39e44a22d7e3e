package dev.hadiag.http;

import dev.hadiag.core.fleet.NodeView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the fleet's HTTP API shows: the nodes under the broker's prefix, and whether the fleet itself can see them. */
public interface FleetView {

    /** The fleet's own node (its events are written under it). */
    String node();

    String version();

    /** The broker and prefix it reads, for people: {@code 127.0.0.1:1883 homelab}. */
    String broker();

    /** Every node, by name, as of {@code now}. */
    List<NodeView> nodes(Instant now);

    /** Connected to the broker and done loading its retained topics: the view is current. */
    boolean live();

    /** When the view was last rebuilt from the retained topics. */
    Optional<Instant> syncedAt();

    /** What keeps the fleet from its job (the broker unreachable for a while, the events tree not writable). */
    List<AgentView.Problem> problems();
}
