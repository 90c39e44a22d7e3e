package dev.hadiag.app.config;

import dev.hadiag.app.logging.LogSettings;
import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.core.ha.AccessToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's whole configuration, validated. See docs/configuration.md for every key.
 *
 * @param apiToken the bearer token {@code /trigger} requires, or empty for no authentication
 * @param checks   every check by name, enabled or not
 * @param remoteTriggerAllowed without an API token, whether {@code /trigger} answers clients not on loopback
 * @param maintenanceEntity    the HA entity whose state {@code on} silences every alert, or empty for none
 */
public record AgentConfig(String haUrl, AccessToken haToken, String nodeName, String locationTag, Path eventsDir, Path dbPath,
        String httpBind, int httpPort, String apiToken, Duration repeatInterval, Duration minDuration,
        Duration integrationMinDuration, Duration wsSilenceTimeout, Duration wsGrace, Duration wsMaxReconnectDelay, Duration historyRetention,
        Duration requestTimeout, LogSettings logging, RelaySettings relay, Map<String, CheckSettings> checks,
        boolean remoteTriggerAllowed, String maintenanceEntity) {

    public AgentConfig {
        checks = Map.copyOf(checks);
    }

    public Optional<String> apiTokenIfSet() {
        return apiToken.isEmpty() ? Optional.empty() : Optional.of(apiToken);
    }

    public CheckSettings check(String name) {
        CheckSettings settings = checks.get(name);
        if (settings == null) {
            throw new IllegalArgumentException("no settings for check " + name);
        }
        return settings;
    }

    @Override
    public String toString() {
        // Never the tokens: records print every component by default.
        return "AgentConfig[haUrl=" + haUrl + ", nodeName=" + nodeName + ", eventsDir=" + eventsDir + ", dbPath=" + dbPath
                + ", http=" + httpBind + ":" + httpPort + ", apiToken=" + (apiToken.isEmpty() ? "unset" : "set")
                + ", remoteTriggerAllowed=" + remoteTriggerAllowed + "]";
    }
}
