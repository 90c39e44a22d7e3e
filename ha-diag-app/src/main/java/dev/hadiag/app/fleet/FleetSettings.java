package dev.hadiag.app.fleet;

import dev.hadiag.app.relay.MqttSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the fleet view reads and where it writes and serves.
 *
 * @param mqtt        the broker (the relay's {@code mqtt.*} settings: URL, TLS, credentials, prefix); its client id is the
 *                    fleet's own ({@code ha-diag-fleet-<node>}), never the agent's
 * @param node        the fleet's node: its {@code node_offline}/{@code node_online} events are written under it
 * @param eventsDir   the fleet's events tree
 * @param silentAfter a node quiet this long (at least three of its heartbeats) is silent; zero: never
 * @param offlineGrace a node's status must stay offline this long before {@code node_offline} is written
 */
public record FleetSettings(MqttSettings mqtt, String node, Path eventsDir, String bind, int port, Duration silentAfter,
        Duration offlineGrace) {

    public static final Duration DEFAULT_OFFLINE_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SILENT_AFTER = Duration.ofMinutes(3);
    public static final int DEFAULT_PORT_BESIDE_AGENT = 8088;
}
