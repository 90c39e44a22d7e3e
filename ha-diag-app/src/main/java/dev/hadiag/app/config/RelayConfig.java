package dev.hadiag.app.config;

import dev.hadiag.app.relay.MqttProtocol;
import dev.hadiag.app.relay.MqttSettings;
import dev.hadiag.app.relay.RelaySettings;
import dev.hadiag.app.relay.WebhookSettings;
import dev.hadiag.core.event.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The relay's keys ({@code mqtt.*}, {@code notify.webhook.*}, {@code relay.*}); secrets only from the environment. */
final class RelayConfig {

    private RelayConfig() {
    }

    static RelaySettings read(ConfigReader reader, Path events, String node, Path db) {
        ConfigSource source = reader.source();
        source.refuseInFile("mqtt.password", "secrets do not belong in the YAML file; set HA_DIAG_MQTT_PASSWORD");
        source.refuseInFile("notify.webhook.token", "secrets do not belong in the YAML file; set HA_DIAG_WEBHOOK_TOKEN");
        secret(source, "HA_DIAG_MQTT_PASSWORD");
        secret(source, "HA_DIAG_WEBHOOK_TOKEN");
        MqttSettings mqtt = null;
        Optional<ConfigSource.Value> mqttUrl = reader.text("mqtt.url", "HA_DIAG_MQTT_URL");
        String username = reader.text("mqtt.username", "HA_DIAG_MQTT_USERNAME", "");
        String prefix = reader.text("mqtt.topic_prefix", "HA_DIAG_MQTT_TOPIC_PREFIX", MqttSettings.DEFAULT_PREFIX);
        String clientId = reader.text("mqtt.client_id", null, "ha-diag-" + node);
        Duration heartbeat = reader.durationOrZero("mqtt.heartbeat_interval", "HA_DIAG_MQTT_HEARTBEAT_INTERVAL", MqttSettings.DEFAULT_HEARTBEAT);
        boolean haDiscovery = reader.bool("mqtt.ha_discovery", "HA_DIAG_MQTT_HA_DISCOVERY", false);
        String discoveryPrefix = reader.text("mqtt.ha_discovery_prefix", "HA_DIAG_MQTT_HA_DISCOVERY_PREFIX", MqttSettings.DEFAULT_HA_DISCOVERY_PREFIX);
        if (discoveryPrefix.isBlank() || discoveryPrefix.contains("+") || discoveryPrefix.contains("#") || discoveryPrefix.startsWith("/")
                || discoveryPrefix.endsWith("/")) {
            source.problem("mqtt.ha_discovery_prefix", "mqtt.ha_discovery_prefix",
                    "expected HA's discovery prefix (homeassistant), without + or # and not starting or ending with /");
            discoveryPrefix = MqttSettings.DEFAULT_HA_DISCOVERY_PREFIX;
        }
        String protocolText = reader.text("mqtt.protocol", "HA_DIAG_MQTT_PROTOCOL", MqttProtocol.AUTO.wire());
        MqttProtocol protocol = MqttProtocol.parse(protocolText).orElse(null);
        if (protocol == null) {
            source.problem("mqtt.protocol", "mqtt.protocol", "expected auto, 5 or 3.1.1, not '" + protocolText + "'");
            protocol = MqttProtocol.AUTO;
        }
        if (mqttUrl.isPresent()) {
            try {
                mqtt = new MqttSettings(new URI(mqttUrl.get().value()), username, source.env("HA_DIAG_MQTT_PASSWORD").orElse(""), prefix,
                        clientId, heartbeat, haDiscovery, discoveryPrefix, protocol);
            } catch (URISyntaxException | IllegalArgumentException e) {
                source.problem("mqtt.url", mqttUrl.get().source(), "expected mqtt://host[:port] or mqtts://host[:port] (" + reason(e) + ")");
            }
        } else if (haDiscovery) {
            source.problem("mqtt.ha_discovery", "mqtt.ha_discovery", "Home Assistant discovery is published through the relay's broker: set mqtt.url too");
        }
        WebhookSettings webhook = null;
        Optional<ConfigSource.Value> webhookUrl = reader.text("notify.webhook.url", "HA_DIAG_WEBHOOK_URL");
        WebhookSettings.Format format = reader.choice("notify.webhook.format", "HA_DIAG_WEBHOOK_FORMAT", WebhookSettings.Format.class,
                WebhookSettings.Format.JSON);
        Severity minSeverity = reader.choice("notify.webhook.min_severity", null, Severity.class, Severity.INFO);
        List<String> types = reader.list("notify.webhook.types");
        String actionsUrl = reader.text("notify.webhook.actions_url", "HA_DIAG_WEBHOOK_ACTIONS_URL", "");
        if (!actionsUrl.isEmpty() && !actionsUrl.startsWith("http://") && !actionsUrl.startsWith("https://")) {
            source.problem("notify.webhook.actions_url", "notify.webhook.actions_url", "expected the agent's http:// or https:// URL as the phone reaches it");
            actionsUrl = "";
        }
        if (webhookUrl.isPresent()) {
            try {
                webhook = new WebhookSettings(new URI(webhookUrl.get().value()), format, minSeverity, types,
                        source.env("HA_DIAG_WEBHOOK_TOKEN").orElse(""), actionsUrl, source.env("HA_DIAG_API_TOKEN").orElse(""));
            } catch (URISyntaxException | IllegalArgumentException e) {
                source.problem("notify.webhook.url", webhookUrl.get().source(), "expected an http:// or https:// URL (" + reason(e) + ")");
            }
        }
        Path defaultState = db.toAbsolutePath().getParent() == null ? Path.of("ha_diag_relay.db")
                : db.toAbsolutePath().getParent().resolve("ha_diag_relay.db");
        Path state = reader.path("relay.state_db", "HA_DIAG_RELAY_DB", defaultState);
        Duration poll = reader.duration("relay.poll", null, Duration.ofSeconds(1));
        Duration failingAfter = reader.durationOrZero("relay.failing_after", null, Duration.ofSeconds(30));
        return new RelaySettings(events, node, state, mqtt, webhook, poll, failingAfter);
    }

    private static void secret(ConfigSource source, String envName) {
        boolean set = source.env(envName).isPresent();
        source.effective(envName, envName, set ? HomeAssistantAccess.SET_NOT_SHOWN : "(unset)", set ? "env " + envName : "default");
    }

    private static String reason(Exception e) {
        return e instanceof URISyntaxException syntax ? syntax.getReason() : e.getMessage();
    }
}
