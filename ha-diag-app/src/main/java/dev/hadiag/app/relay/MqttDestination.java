package dev.hadiag.app.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to an MQTT broker (QoS 1, HiveMQ's client, MQTT 5 or 3.1.1 through {@link MqttConnector}):
 * <ul>
 * <li>{@code <prefix>/events/<node>/<type>}: every event, the file's bytes unchanged, user property {@code event_id}
 * the file's UUID (the idempotency key: QoS 1 and a crash can both deliver twice); on MQTT 3.1.1, which has no user
 * properties, the id is added to the event's JSON as its last member instead;</li>
 * <li>{@code <prefix>/alerts/<node>/<alert_key>}: retained, set by an alert's opening event and cleared (an empty
 * retained message) by its resolution, so a late subscriber sees exactly the open alerts;</li>
 * <li>{@code <prefix>/agents/<relay node>/status}: retained {@code online}, and {@code offline} as the last will; user
 * property {@code reason} says which {@code offline} it is ({@code stopped}: a clean stop, {@code connection_lost}: the will),
 * the payload stays the bare word (on 3.1.1 the health topic says which: a clean stop publishes it with {@code stopped: true}
 * before {@code offline});</li>
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
    private final MqttConnector connector;
    private MqttLink client;
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
        MqttSettings own = settings.withClient(settings.clientId() + "-notify-test", Duration.ZERO);
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
        this.connector = new MqttConnector(settings);
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
        MqttLink connected = connected();
        String node = level(event.event().node());
        String eventId = event.file().eventId().orElse("");
        byte[] bytes = connected.carriesProperties() ? event.bytes() : withEventId(event.bytes(), eventId);
        publish(connected, settings.topicPrefix() + "/events/" + node + "/" + level(event.event().type()), bytes, false, eventId);
        if (event.opensAlert()) {
            publish(connected, alertTopic(node, event.alertKey()), bytes, true, eventId);
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

    private MqttLink connected() throws DeliveryException {
        if (client != null) {
            return client;
        }
        MqttConnector.Will will = presence ? new MqttConnector.Will(statusTopic, OFFLINE, Map.of("reason", "connection_lost")) : null;
        MqttLink fresh;
        try {
            fresh = connector.connect(will, message -> { }, lost -> { }, TIMEOUT_SECONDS);
        } catch (MqttConnector.ConnectFailed e) {
            throw new DeliveryException(e.getMessage(), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", true, null);
        }
        try {
            nextHeartbeat = Instant.EPOCH; // a new connection says how the agent is at once
            if (presence && !settings.heartbeat().isZero()) {
                // Before "online": a health left by a clean stop (stopped: true) must not outlive this start, or a crash
                // right after it would read as planned where the status carries no reason (MQTT 3.1.1).
                Instant now = clock.instant();
                RelayHealth current = currentHealth();
                publish(fresh, healthTopic, healthPayload(current, now, false), true, "");
                published = current;
                nextHeartbeat = now.plus(settings.heartbeat());
            }
            if (presence) {
                publish(fresh, statusTopic, ONLINE, true, "");
            }
            nextLook = Instant.EPOCH;
            announced = false; // the broker may have lost its retained messages: announce again on every connection
            announcedState = null;
        } catch (DeliveryException e) {
            disconnectQuietly(fresh);
            throw e;
        }
        LOG.info("connected to MQTT broker {} (MQTT {})", hostPort(), fresh.protocol().wire());
        client = fresh;
        return fresh;
    }

    private void publish(MqttLink to, String topic, byte[] payload, boolean retain, String eventId) throws DeliveryException {
        publish(to, topic, payload, retain, eventId.isEmpty() ? Map.of() : Map.of("event_id", eventId));
    }

    private void publish(MqttLink to, String topic, byte[] payload, boolean retain, Map<String, String> properties) throws DeliveryException {
        try {
            to.publish(topic, payload, retain, properties).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MqttLink.Refused refused) {
                throw new DeliveryException(refused.getMessage(), false, null);
            }
            throw new DeliveryException("publishing to " + hostPort() + " failed: " + reason(e), true, null);
        } catch (TimeoutException e) {
            throw new DeliveryException("publishing to " + hostPort() + " failed: " + reason(e), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", true, null);
        }
    }

    /**
     * MQTT 3.1.1 has no user properties: the event's id goes into its JSON, as the last member of the object (the bytes
     * before it unchanged), unless the event already has an {@code event_id}.
     */
    static byte[] withEventId(byte[] json, String eventId) {
        if (eventId.isEmpty() || new String(json, StandardCharsets.UTF_8).contains("\"event_id\"")) {
            return json;
        }
        int end = json.length - 1;
        while (end >= 0 && WHITESPACE.contains(json[end])) {
            end--;
        }
        if (end < 0 || json[end] != '}') {
            return json;
        }
        int before = end - 1;
        while (before >= 0 && WHITESPACE.contains(json[before])) {
            before--;
        }
        byte[] member = ((before >= 0 && json[before] == '{' ? "" : ",") + "\"event_id\":\"" + eventId + "\"").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + member.length];
        System.arraycopy(json, 0, out, 0, end);
        System.arraycopy(member, 0, out, end, member.length);
        System.arraycopy(json, end, out, end + member.length, json.length - end);
        return out;
    }

    private static final Set<Byte> WHITESPACE = Set.of((byte) ' ', (byte) '\n', (byte) '\r', (byte) '\t');

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
        MqttLink connected = connected();
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
        publish(connected, healthTopic, healthPayload(current, now, false), true, "");
        published = current;
        nextHeartbeat = now.plus(settings.heartbeat());
    }

    /**
     * The state topics when what they say changed, then (once per connection) the configs: HA subscribes to a state topic
     * when it reads the config, and finds the retained state there. Nothing while the alerts are unknown (a bare relay, or
     * the agent's state could not be read): a guess would show HA a problem that is not there, or hide one.
     */
    private void announce(MqttLink to, RelayHealth current) throws DeliveryException {
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

    /** @param stopped the last health of a clean stop: what tells it from a crash where the status carries no reason (3.1.1) */
    private byte[] healthPayload(RelayHealth current, Instant now, boolean stopped) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node);
        body.put("version", current.version());
        body.put("ha_state", current.haState());
        body.put("agent_state", current.agentState());
        body.put("open_alerts", current.openAlerts());
        body.put("published_at", now.toString());
        body.put("heartbeat_s", settings.heartbeat().toSeconds());
        body.put("stopped", stopped);
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

    private static void disconnectQuietly(MqttLink connection) {
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
                if (!settings.heartbeat().isZero()) {
                    publish(client, healthTopic, healthPayload(currentHealth(), clock.instant(), true), true, "");
                }
                publish(client, statusTopic, OFFLINE, true, Map.of("reason", "stopped"));
            } catch (DeliveryException e) {
                LOG.debug("could not publish offline: {}", e.getMessage());
            }
            reset();
        }
    }
}
