package dev.hadiag.app.config;

import dev.hadiag.core.live.WebSocketWatchdog;
import java.time.Duration;

/**
 * The live connection's and its watchdog's keys ({@code websocket.*}).
 *
 * @param silenceTimeout    how long a connected WebSocket may say nothing before it counts as dead
 * @param grace             how long it may be down before that is an alert
 * @param maxReconnectDelay   the cap of the reconnect back-off once an outage has outlived {@code quickReconnectFor}
 * @param restartGrace        how long HA may stay away after announcing its stop before {@code ha_websocket_dead}
 * @param quickReconnectDelay the cap while the outage is younger (at most {@code maxReconnectDelay})
 * @param quickReconnectFor   how long an outage is retried at the quick cap (0: from the start at the max)
 */
public record WebSocketSettings(Duration silenceTimeout, Duration grace, Duration maxReconnectDelay, Duration restartGrace,
        Duration quickReconnectDelay, Duration quickReconnectFor) {

    static WebSocketSettings read(ConfigReader reader) {
        ConfigReader keys = reader.under("websocket.");
        Duration max = keys.duration("max_reconnect_delay", null, Duration.ofSeconds(60));
        Duration quick = keys.duration("quick_reconnect_delay", null, Duration.ofSeconds(1));
        return new WebSocketSettings(keys.duration("silence_timeout", null, Duration.ofMinutes(5)),
                keys.durationOrZero("grace", null, Duration.ofSeconds(10)),
                max,
                keys.durationOrZero("restart_grace", null, WebSocketWatchdog.Settings.DEFAULT_RESTART_GRACE),
                quick.compareTo(max) > 0 ? max : quick,
                keys.durationOrZero("quick_reconnect_for", null, Duration.ofMinutes(5)));
    }
}
