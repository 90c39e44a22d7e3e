package dev.hadiag.app.relay;

import java.net.URI;
import java.time.Duration;

/**
 * The broker the relay publishes to.
 *
 * @param url         {@code mqtt://host[:1883]} or {@code mqtts://host[:8883]} (TLS, verified with the JVM's trust store)
 * @param username    empty for none
 * @param password    empty for none; never logged, never in a topic or payload
 * @param topicPrefix the first topic level, {@code homelab} by default
 * @param clientId    the MQTT client identifier, unique per broker
 * @param heartbeat   how often the relay publishes its agent's retained health topic (the fleet's sign of life); zero: never
 * @param haDiscovery whether the agent announces its "problem" and "open alerts" entities to Home Assistant (MQTT discovery)
 * @param haDiscoveryPrefix HA's discovery prefix, {@code homeassistant} unless HA's MQTT integration was set to another
 * @param protocol    MQTT 5, 3.1.1, or {@code auto} (5, and 3.1.1 when the broker does not take 5)
 */
public record MqttSettings(URI url, String username, String password, String topicPrefix, String clientId, Duration heartbeat,
        boolean haDiscovery, String haDiscoveryPrefix, MqttProtocol protocol) {

    public static final String DEFAULT_PREFIX = "homelab";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);
    public static final String DEFAULT_HA_DISCOVERY_PREFIX = "homeassistant";

    public MqttSettings(URI url, String username, String password, String topicPrefix, String clientId) {
        this(url, username, password, topicPrefix, clientId, DEFAULT_HEARTBEAT);
    }

    /** Without HA discovery: the fleet's and {@code notify test}'s own connections never announce entities. */
    public MqttSettings(URI url, String username, String password, String topicPrefix, String clientId, Duration heartbeat) {
        this(url, username, password, topicPrefix, clientId, heartbeat, false, DEFAULT_HA_DISCOVERY_PREFIX, MqttProtocol.AUTO);
    }

    public MqttSettings(URI url, String username, String password, String topicPrefix, String clientId, Duration heartbeat,
            boolean haDiscovery, String haDiscoveryPrefix) {
        this(url, username, password, topicPrefix, clientId, heartbeat, haDiscovery, haDiscoveryPrefix, MqttProtocol.AUTO);
    }

    /** The same broker, credentials, prefix and protocol under another client id and heartbeat, without HA discovery. */
    public MqttSettings withClient(String otherClientId, Duration otherHeartbeat) {
        return new MqttSettings(url, username, password, topicPrefix, otherClientId, otherHeartbeat, false, DEFAULT_HA_DISCOVERY_PREFIX, protocol);
    }

    public MqttSettings {
        String scheme = url.getScheme();
        if (!"mqtt".equals(scheme) && !"mqtts".equals(scheme)) {
            throw new IllegalArgumentException("mqtt.url must start with mqtt:// or mqtts://");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException("mqtt.url has no host");
        }
        if (topicPrefix.isBlank() || topicPrefix.contains("+") || topicPrefix.contains("#")) {
            throw new IllegalArgumentException("mqtt.topic_prefix must be non-empty and without + or #");
        }
        if (protocol == null) {
            throw new IllegalArgumentException("mqtt.protocol must be auto, 5 or 3.1.1");
        }
        if (heartbeat == null || heartbeat.isNegative()) {
            throw new IllegalArgumentException("mqtt.heartbeat_interval must not be negative");
        }
        if (haDiscoveryPrefix == null || haDiscoveryPrefix.isBlank() || haDiscoveryPrefix.contains("+") || haDiscoveryPrefix.contains("#")
                || haDiscoveryPrefix.startsWith("/") || haDiscoveryPrefix.endsWith("/")) {
            throw new IllegalArgumentException("mqtt.ha_discovery_prefix must be non-empty, without + or #, and not start or end with /");
        }
    }

    public boolean tls() {
        return "mqtts".equals(url.getScheme());
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : tls() ? 8883 : 1883;
    }

    @Override
    public String toString() {
        // Never the password: records print every component by default.
        return "MqttSettings[url=" + url.getScheme() + "://" + url.getHost() + ":" + port() + ", username=" + username
                + ", password=" + (password.isEmpty() ? "unset" : "set") + ", topicPrefix=" + topicPrefix + ", clientId=" + clientId + ", heartbeat=" + heartbeat
                + ", haDiscovery=" + (haDiscovery ? haDiscoveryPrefix : "off") + ", protocol=" + protocol.wire() + "]";
    }
}
