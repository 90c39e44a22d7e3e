package dev.hadiag.app.config;

import dev.hadiag.app.fleet.FleetSettings;
import dev.hadiag.app.relay.MqttSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code fleet.*} keys: the fleet view ({@code ha-diag fleet}, or {@code run} with {@code fleet.enabled}).
 *
 * @param enabled     {@code run} serves the fleet view beside its own work (on {@code port}), reading the broker of {@code mqtt.*}
 * @param port        the fleet view's port beside an agent; {@code ha-diag fleet} alone serves on {@code http.port}
 * @param silentAfter a node quiet this long (at least three of its heartbeats) is silent; 0s: only its status counts
 * @param offlineGrace how long a status must stay offline before node_offline (a broker or agent restart is not an outage)
 */
public record FleetConfig(boolean enabled, int port, Duration silentAfter, Duration offlineGrace) {

    static FleetConfig read(ConfigReader reader) {
        ConfigReader keys = reader.under("fleet.");
        boolean enabled = keys.bool("enabled", "HA_DIAG_FLEET_ENABLED", false);
        int port = (int) keys.number("port", "HA_DIAG_FLEET_PORT", FleetSettings.DEFAULT_PORT_BESIDE_AGENT, 0, 65535);
        Duration silentAfter = keys.durationOrZero("silent_after", "HA_DIAG_FLEET_SILENT_AFTER", FleetSettings.DEFAULT_SILENT_AFTER);
        Duration offlineGrace = keys.durationOrZero("offline_grace", "HA_DIAG_FLEET_OFFLINE_GRACE", FleetSettings.DEFAULT_OFFLINE_GRACE);
        return new FleetConfig(enabled, port, silentAfter, offlineGrace);
    }

    /** The fleet's settings on the broker of {@code mqtt}: its own client id, so it never takes over the agent's session. */
    public FleetSettings settings(MqttSettings mqtt, String node, Path eventsDir, String bind, int port) {
        MqttSettings own = mqtt.withClient(mqtt.clientId() + "-fleet", mqtt.heartbeat());
        return new FleetSettings(own, node, eventsDir, bind, port, silentAfter, offlineGrace);
    }
}
