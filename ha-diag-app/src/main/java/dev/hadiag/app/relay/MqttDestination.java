package dev.hadiag.app.relay;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to an MQTT broker (MQTT 5, QoS 1, HiveMQ's client):
 * <ul>
 * <li>{@code <prefix>/events/<node>/<type>}: every event, the file's bytes unchanged, user property {@code event_id}
 * the file's UUID (the idempotency key: QoS 1 and a crash can both deliver twice);</li>
 * <li>{@code <prefix>/alerts/<node>/<alert_key>}: retained, set by an alert's opening event and cleared (an empty
 * retained message) by its resolution, so a late subscriber sees exactly the open alerts;</li>
 * <li>{@code <prefix>/agents/<relay node>/status}: retained {@code online}, and {@code offline} as the last will; user
 * property {@code reason} says which {@code offline} it is ({@code stopped}: a clean stop, {@code connection_lost}: the will),
 * the payload stays the bare word;</li>
 * <li>{@code <prefix>/agents/<relay node>/health}: retained JSON (version, HA's state, the agent's state, open alerts, when
 * published, the heartbeat), on connecting and every {@code mqtt.heartbeat_interval}: the fleet view's sign of life;</li>
 * <li>with {@code mqtt.ha_discovery}: Home Assistant's discovery configs ({@link HaDiscovery}) on connecting, and the retained
 * {@code <prefix>/agents/<relay node>/problem} and {@code …/open_alerts} state topics whenever what they say changes.</li>
 * </ul>
 * A delivery returns when the broker has acknowledged both the event and the alert-state update.
 */
final class MqttDestination implements Destination {

    private static final Logger LOG = LoggerFactory.getLogger(MqttDestination.class);
    private static final long TIMEOUT_SECONDS = 10;
    /** How often the agent's state is looked at for a change worth publishing before the next heartbeat. */
    static final java.time.Duration HEALTH_LOOK = java.time.Duration.ofSeconds(5);
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.UTF_8);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttSettings settings;
    private final String node;
    private final String statusTopic;
    private final String healthTopic;
    private final Clock clock;
    private final Supplier<RelayHealth> health;
    private Mqtt5AsyncClient client;
    private Instant nextHeartbeat = Instant.EPOCH;
    private Instant nextLook = Instant.EPOCH;
    private RelayHealth published;
    private final boolean presence;
    /** Null without {@code mqtt.ha_discovery} (and for a one-event destination, which must not announce anything). */
    private final HaDiscovery discovery;
    private boolean announced;
    private HaDiscovery.State announcedState;
    private boolean unknownAlertsLogged;

    MqttDestination(MqttSettings settings, String relayNode, Clock clock, Supplier<RelayHealth> health) {
        this(settings, relayNode, clock, health, true);
    }

    /**
     * A destination for one event beside a running agent ({@code notify test}): its own client id, so the broker does not
     * take over the agent's session (and publish its last will), and no presence (no will, no online, no offline): the
     * node's status topic stays the agent's.
     */
    static MqttDestination forOneEvent(MqttSettings settings, String relayNode) {
        MqttSettings own = new MqttSettings(settings.url(), settings.username(), settings.password(), settings.topicPrefix(),
                settings.clientId() + "-notify-test", Duration.ZERO);
        return new MqttDestination(own, relayNode, Clock.systemUTC(), () -> {
            throw new IllegalStateException("a one-event destination publishes no health");
        }, false);
    }

    private MqttDestination(MqttSettings settings, String relayNode, Clock clock, Supplier<RelayHealth> health, boolean presence) {
        this.presence = presence;
        this.settings = settings;
        this.node = relayNode;
        this.statusTopic = agentTopic(settings.topicPrefix(), relayNode, "status");
        this.healthTopic = agentTopic(settings.topicPrefix(), relayNode, "health");
        this.discovery = presence && settings.haDiscovery() ? new HaDiscovery(settings.haDiscoveryPrefix(), settings.topicPrefix(), relayNode)
                : null;
        this.clock = clock;
        this.health = health;
    }

    @Override
    public String name() {
        return "mqtt " + settings.url().getHost() + ":" + settings.port() + " " + settings.topicPrefix();
    }

    @Override
    public boolean wants(RelayEvent event) {
        return true;
    }

    @Override
    public void deliver(RelayEvent event) throws DeliveryException {
        Mqtt5AsyncClient connected = connected();
        String node = level(event.event().node());
        publish(connected, settings.topicPrefix() + "/events/" + node + "/" + level(event.event().type()), event.bytes(), false,
                event.file().eventId().orElse(""));
        if (event.opensAlert()) {
            publish(connected, alertTopic(node, event.alertKey()), event.bytes(), true, event.file().eventId().orElse(""));
        } else if (event.resolvesAlert()) {
            publish(connected, alertTopic(node, event.alertKey()), new byte[0], true, event.file().eventId().orElse(""));
        }
        if (event.opensAlert() || event.resolvesAlert()) {
            nextLook = Instant.EPOCH; // the discovery state and the health say it after this pass, not at the next look
        }
    }

    /** {@code <prefix>/agents/<relay node>/<leaf>}: the relay's own topics. */
    static String agentTopic(String prefix, String relayNode, String leaf) {
        return prefix + "/agents/" + level(relayNode) + "/" + leaf;
    }

    private String alertTopic(String node, String alertKey) {
        return settings.topicPrefix() + "/alerts/" + node + "/" + level(alertKey);
    }

    private Mqtt5AsyncClient connected() throws DeliveryException {
        if (client != null) {
            return client;
        }
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(settings.clientId())
                .serverHost(settings.url().getHost()).serverPort(settings.port());
        if (presence) {
            builder = builder.willPublish().topic(statusTopic).payload(OFFLINE).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .userProperties().add("reason", "connection_lost").applyUserProperties().applyWillPublish();
        }
        if (settings.tls()) {
            builder = builder.sslWithDefaultConfig();
        }
        if (!settings.username().isEmpty()) {
            builder = builder.simpleAuth().username(settings.username())
                    .password(settings.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        Mqtt5AsyncClient fresh = builder.buildAsync();
        try {
            fresh.connectWith().cleanStart(true).keepAlive(30).send().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (presence) {
                publish(fresh, statusTopic, ONLINE, true, "");
            }
            nextHeartbeat = Instant.EPOCH; // a new connection says how the agent is at once
            nextLook = Instant.EPOCH;
            announced = false; // the broker may have lost its retained messages: announce again on every connection
            announcedState = null;
        } catch (DeliveryException e) {
            disconnectQuietly(fresh);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            disconnectQuietly(fresh);
            throw new DeliveryException("cannot connect to " + hostPort() + ": " + reason(e), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnectQuietly(fresh);
            throw new DeliveryException("interrupted", true, null);
        }
        LOG.info("connected to MQTT broker {}", hostPort());
        client = fresh;
        return fresh;
    }

    private void publish(Mqtt5AsyncClient to, String topic, byte[] payload, boolean retain, String eventId) throws DeliveryException {
        publish(to, topic, payload, retain, eventId.isEmpty() ? "" : "event_id", eventId);
    }

    private void publish(Mqtt5AsyncClient to, String topic, byte[] payload, boolean retain, String property, String value)
            throws DeliveryException {
        try {
            var message = to.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload);
            Mqtt5PublishResult result = (property.isEmpty() ? message : message.userProperties().add(property, value).applyUserProperties())
                    .send().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (result.getError().isPresent()) {
                throw new DeliveryException("the broker did not take " + topic + ": " + result.getError().get().getMessage(), true, null);
            }
            if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result acknowledged && acknowledged.getPubAck().getReasonCode().isError()) {
                // Refused by the broker (not authorised, topic invalid, quota): retrying the same message cannot help.
                throw new DeliveryException("the broker refused " + topic + ": " + acknowledged.getPubAck().getReasonCode(), false, null);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new DeliveryException("publishing to " + hostPort() + " failed: " + reason(e), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", true, null);
        }
    }

    private String hostPort() {
        return settings.url().getHost() + ":" + settings.port();
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** One topic level: MQTT's wildcards and level separator cannot appear in a name, so they become '_'. */
    static String level(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c == '/' || c == '+' || c == '#' || c == '\0' ? '_' : c);
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    /**
     * Connects if need be (so an agent without events is online too) and publishes the health topic when it is due, or
     * sooner when what it says has changed (HA went down, the agent started failing): looked at every
     * {@link #HEALTH_LOOK} at most, so the agent's state is not read at every poll.
     */
    @Override
    public void idle() throws DeliveryException {
        boolean heartbeats = !settings.heartbeat().isZero();
        if (!heartbeats && discovery == null) {
            return;
        }
        Mqtt5AsyncClient connected = connected();
        Instant now = clock.instant();
        boolean due = heartbeats && !now.isBefore(nextHeartbeat);
        if (!due && now.isBefore(nextLook)) {
            return;
        }
        nextLook = now.plus(HEALTH_LOOK);
        RelayHealth current = currentHealth();
        if (discovery != null) {
            announce(connected, current);
        }
        if (!heartbeats || !due && current.equals(published)) {
            return;
        }
        publish(connected, healthTopic, healthPayload(current, now), true, "");
        published = current;
        nextHeartbeat = now.plus(settings.heartbeat());
    }

    /**
     * The state topics when what they say changed, then (once per connection) the configs: HA subscribes to a state topic
     * when it reads the config, and finds the retained state there. Nothing while the alerts are unknown (a bare relay, or
     * the agent's state could not be read): a guess would show HA a problem that is not there, or hide one.
     */
    private void announce(Mqtt5AsyncClient to, RelayHealth current) throws DeliveryException {
        if (current.openAlerts() < 0 || current.errorAlerts() < 0) {
            if (!unknownAlertsLogged) {
                LOG.info("mqtt.ha_discovery: the alerts are not known here (a bare ha-diag relay knows none); nothing announced to Home Assistant yet");
                unknownAlertsLogged = true;
            }
            return;
        }
        HaDiscovery.State state = new HaDiscovery.State(current.openAlerts(), current.errorAlerts() > 0);
        if (!state.equals(announcedState)) {
            for (HaDiscovery.Message message : discovery.state(state)) {
                publish(to, message.topic(), message.payload(), true, "");
            }
            announcedState = state;
        }
        if (!announced) {
            for (HaDiscovery.Message message : discovery.configs(current.version())) {
                publish(to, message.topic(), message.payload(), true, "");
            }
            announced = true;
            LOG.info("announced to Home Assistant: {}, {}", discovery.problemConfigTopic(), discovery.openAlertsConfigTopic());
        }
    }

    private RelayHealth currentHealth() {
        try {
            return health.get();
        } catch (RuntimeException e) {
            // The agent's status could not be read: say so rather than skip the heartbeat (silence would page as a lost node).
            LOG.debug("health for the heartbeat: {}", e.toString());
            return new RelayHealth("unknown", "unknown", "failing", -1, -1);
        }
    }

    private byte[] healthPayload(RelayHealth current, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node);
        body.put("version", current.version());
        body.put("ha_state", current.haState());
        body.put("agent_state", current.agentState());
        body.put("open_alerts", current.openAlerts());
        body.put("published_at", now.toString());
        body.put("heartbeat_s", settings.heartbeat().toSeconds());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the health JSON", e);
        }
    }

    @Override
    public void reset() {
        if (client != null) {
            disconnectQuietly(client);
            client = null;
        }
    }

    private static void disconnectQuietly(Mqtt5AsyncClient connection) {
        try {
            connection.disconnect().get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A clean stop says {@code offline} itself; the last will says it only when the connection is lost. The discovery configs
     * stay: HA shows the entities unavailable (not gone) until the agent is back.
     */
    @Override
    public void close() {
        if (client != null && !presence) {
            reset();
        } else if (client != null) {
            try {
                publish(client, statusTopic, OFFLINE, true, "reason", "stopped");
            } catch (DeliveryException e) {
                LOG.debug("could not publish offline: {}", e.getMessage());
            }
            reset();
        }
    }
}
