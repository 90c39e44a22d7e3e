package dev.hadiag.app.config;

import dev.hadiag.core.live.WebSocketWatchdog;
import java.time.Duration;

/**
 * The live connection's and its watchdog's keys ({@code websocket.*}).
 *
 * @param silenceTimeout    how long a connected WebSocket may say nothing before it counts as dead
 * @param grace             how long it may be down before that is an alert
 * @param maxReconnectDelay the cap of the reconnect back-off
 * @param restartGrace      how long HA may stay away after announcing its stop before {@code ha_websocket_dead}
 */
public record WebSocketSettings(Duration silenceTimeout, Duration grace, Duration maxReconnectDelay, Duration restartGrace) {

    static WebSocketSettings read(ConfigReader reader) {
        ConfigReader keys = reader.under("websocket.");
        return new WebSocketSettings(keys.duration("silence_timeout", null, Duration.ofMinutes(5)),
                keys.durationOrZero("grace", null, Duration.ofSeconds(10)),
                keys.duration("max_reconnect_delay", null, Duration.ofSeconds(1)),
                keys.durationOrZero("restart_grace", null, WebSocketWatchdog.Settings.DEFAULT_RESTART_GRACE));
    }
}
