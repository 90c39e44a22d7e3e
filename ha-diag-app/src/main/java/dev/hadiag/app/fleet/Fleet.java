package dev.hadiag.app.fleet;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.hadiag.app.relay.MqttSettings;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.fleet.FleetAlert;
import dev.hadiag.core.fleet.FleetModel;
import dev.hadiag.core.fleet.NodeChange;
import dev.hadiag.core.fleet.NodeView;
import dev.hadiag.core.fleet.Outage;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.http.AgentView;
import dev.hadiag.http.FleetHttp;
import dev.hadiag.http.FleetView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running fleet view: one MQTT subscriber to the prefix's retained alert, status and health topics and its event
 * stream, the {@link FleetModel} it feeds, a judge that writes {@code node_offline}/{@code node_online} into the fleet's
 * own events tree every second, and the HTTP API.
 *
 * <p>Each (re)connection starts clean and is a sync: after subscribing, the fleet publishes a marker to its own topic
 * {@code <prefix>/fleet/<node>/sync}; the broker delivers it after the retained messages it sent on subscribing, so when
 * it arrives the view has been rebuilt and what was not announced again is dropped.
 */
public final class Fleet implements FleetView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
    /** A broker away this long (or a first sync not done) makes {@code /health} fail: a reconnect is not a failure. */
    static final Duration NOT_LIVE_GRACE = Duration.ofSeconds(30);
    /** How many open alerts a node_offline lists (the count is always whole). */
    static final int LISTED_ALERTS = 100;

    private final FleetSettings settings;
    private final Clock clock;
    private final String version;
    private final FleetModel model;
    private final FleetMessages messages;
    private final FileSystemEventSink sink;
    private final String syncTopic;
    private final Mqtt5AsyncClient client;
    private final ScheduledExecutorService judge;
    private FleetHttp http;
    /** Guarded by the model's lock. */
    private String syncToken = "";
    private Instant syncedAt;
    private Instant notLiveSince;
    private volatile String writeFailure = "";
    private volatile Instant writeFailingSince = Instant.EPOCH;

    private Fleet(FleetSettings settings, Clock clock, String version) {
        this.settings = settings;
        this.clock = clock;
        this.version = version;
        this.notLiveSince = clock.instant();
        this.model = new FleetModel(settings.silentAfter(), settings.offlineGrace(), () -> UUID.randomUUID().toString());
        this.messages = new FleetMessages(settings.mqtt().topicPrefix());
        this.sink = FileSystemEventSink.open(settings.eventsDir());
        List<Outage> open = FleetOutages.open(settings.eventsDir(), settings.node(), clock.instant());
        open.forEach(model::restore);
        if (!open.isEmpty()) {
            LOG.info("{} node(s) offline since before this start, as the events tree says: {}", open.size(),
                    open.stream().map(Outage::node).toList());
        }
        this.syncTopic = settings.mqtt().topicPrefix() + "/fleet/" + settings.node() + "/sync";
        this.client = client(settings.mqtt());
        this.judge = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ha-diag-fleet-judge");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the events tree and serves; connects in the background (and keeps reconnecting) to the broker. */
    public static Fleet start(FleetSettings settings, Clock clock, String version) {
        Fleet fleet = new Fleet(settings, clock, version);
        try {
            fleet.http = FleetHttp.start(fleet, settings.bind(), settings.port(), clock);
        } catch (RuntimeException e) {
            fleet.judge.shutdownNow();
            throw e;
        }
        fleet.client.publishes(MqttGlobalPublishFilter.ALL, fleet::received);
        fleet.client.connectWith().cleanStart(true).keepAlive(30).send().whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.warn("cannot connect to the MQTT broker {} yet ({}); retrying", fleet.broker(), failure.toString());
            }
        });
        fleet.judge.scheduleWithFixedDelay(fleet::judgeNow, 1, 1, TimeUnit.SECONDS);
        LOG.info("ha-diag fleet {} as node {}: reading {}; HTTP on {}:{}", version, settings.node(), fleet.broker(), settings.bind(),
                fleet.http.port());
        return fleet;
    }

    public int port() {
        return http.port();
    }

    private Mqtt5AsyncClient client(MqttSettings mqtt) {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(mqtt.clientId()).serverHost(mqtt.url().getHost())
                .serverPort(mqtt.port()).automaticReconnect().initialDelay(500, TimeUnit.MILLISECONDS).maxDelay(30, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> connected())
                .addDisconnectedListener(context -> disconnected(context.getCause()));
        if (mqtt.tls()) {
            builder = builder.sslWithDefaultConfig();
        }
        if (!mqtt.username().isEmpty()) {
            builder = builder.simpleAuth().username(mqtt.username()).password(mqtt.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        return builder.buildAsync();
    }

    private void connected() {
        String token = UUID.randomUUID().toString();
        synchronized (model) {
            model.syncStarted(clock.instant());
            syncToken = token;
        }
        LOG.info("connected to the MQTT broker {}: loading the retained topics", broker());
        String prefix = settings.mqtt().topicPrefix();
        // QoS 0: a broker holds at most so many QoS 1 messages per client beyond those in flight (mosquitto: 20 in flight,
        // max_queued_messages 1000) and drops the rest, retained ones sent on subscribing included; 50,000 retained alerts
        // would arrive as 1,020. Nothing is lost by it: every connection rebuilds the view from the retained topics.
        client.subscribeWith()
                .addSubscription().topicFilter(prefix + "/agents/+/status").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(prefix + "/agents/+/health").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(prefix + "/alerts/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(prefix + "/events/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter(syncTopic).qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .send()
                .thenCompose(subscribed -> client.publishWith().topic(syncTopic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(token.getBytes(StandardCharsets.UTF_8)).send())
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        LOG.warn("could not subscribe to {} (the view stays as it was until the next connection): {}", broker(), failure.toString());
                    }
                });
    }

    private void disconnected(Throwable cause) {
        synchronized (model) {
            if (model.live() || notLiveSince == null) {
                notLiveSince = clock.instant();
            }
            model.disconnected();
        }
        LOG.debug("not connected to {}: {}", broker(), cause == null ? "" : cause.toString());
    }

    private void received(Mqtt5Publish publish) {
        String topic = publish.getTopic().toString();
        byte[] payload = publish.getPayloadAsBytes();
        Instant now = clock.instant();
        synchronized (model) {
            if (topic.equals(syncTopic)) {
                if (new String(payload, StandardCharsets.UTF_8).equals(syncToken)) {
                    model.synced();
                    syncedAt = now;
                    notLiveSince = null;
                    LOG.info("fleet view loaded from {}: {} node(s), {} open alert(s)", broker(), model.nodes(now).size(), model.alertCount());
                }
                return;
            }
            String reason = publish.getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("reason"))
                    .map(p -> p.getValue().toString()).findFirst().orElse("");
            try {
                messages.apply(model, topic, payload, publish.isRetain(), reason, now);
            } catch (RuntimeException e) {
                LOG.warn("skipping {}: {}", topic, e.toString());
            }
        }
    }

    /** Writes what changed; a change whose event cannot be written is asked for again at the next second. */
    private void judgeNow() {
        try {
            List<NodeChange> changes;
            Instant now = clock.instant();
            synchronized (model) {
                changes = model.changes(now);
            }
            for (NodeChange change : changes) {
                Event event = event(change);
                try {
                    sink.write(event);
                    writeFailure = "";
                } catch (RuntimeException e) {
                    if (writeFailure.isEmpty()) {
                        writeFailingSince = now;
                        LOG.error("cannot write {} for node {}: {}", event.type(), change.node(), e.getMessage());
                    }
                    writeFailure = "cannot write " + event.type() + " for node " + change.node() + ": " + e.getMessage();
                    continue;
                }
                synchronized (model) {
                    model.recorded(change);
                }
                LOG.info("node {}: {} ({})", change.node(), event.type(), change.correlationId());
            }
        } catch (RuntimeException e) {
            LOG.error("the fleet's judge failed; trying again in a second", e);
        }
    }

    private Event event(NodeChange change) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("node", change.node());
        payload.put("alert_key", "node_offline:" + change.node());
        if (change instanceof NodeChange.WentOffline offline) {
            if (!offline.lastSeen().equals(Instant.EPOCH)) {
                payload.put("last_seen", offline.lastSeen().toString());
            }
            payload.put("cause", offline.cause().wire());
            payload.put("planned", offline.cause().planned());
            payload.put("open_alert_count", offline.openAlerts().size());
            List<Map<String, Object>> alerts = new ArrayList<>();
            for (FleetAlert alert : offline.openAlerts().subList(0, Math.min(LISTED_ALERTS, offline.openAlerts().size()))) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("alert_key", alert.alertKey());
                entry.put("type", alert.type());
                entry.put("severity", alert.severity().wireName());
                entry.put("correlation_id", alert.correlationId());
                entry.put("opened_at", alert.openedAt().toString());
                alerts.add(entry);
            }
            payload.put("open_alerts", alerts);
            payload.put("summary", "node " + change.node() + " is offline (" + (offline.cause().planned() ? "a planned stop" : offline.cause().wire())
                    + "), with " + offline.openAlerts().size() + " open alert(s) as it left");
            return Event.of(offline.detectedAt(), settings.node(), EventTypes.NODE_OFFLINE, Severity.ERROR, FleetOutages.SOURCE, "ha-diag-agent",
                    change.correlationId(), payload);
        }
        NodeChange.CameBack back = (NodeChange.CameBack) change;
        payload.put("offline_since", back.offlineSince().toString());
        payload.put("downtime_s", Duration.between(back.offlineSince(), back.backAt()).toSeconds());
        payload.put("removed", back.removed());
        payload.put("summary", "node " + change.node() + (back.removed() ? " was removed from the broker" : " is back online"));
        return Event.of(back.backAt(), settings.node(), EventTypes.NODE_ONLINE, Severity.INFO, FleetOutages.SOURCE, "ha-diag-agent",
                change.correlationId(), payload);
    }

    // --- FleetView ---

    @Override
    public String node() {
        return settings.node();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String broker() {
        return settings.mqtt().url().getHost() + ":" + settings.mqtt().port() + " " + settings.mqtt().topicPrefix();
    }

    @Override
    public List<NodeView> nodes(Instant now) {
        synchronized (model) {
            return model.nodes(now);
        }
    }

    @Override
    public boolean live() {
        synchronized (model) {
            return model.live();
        }
    }

    @Override
    public Optional<Instant> syncedAt() {
        synchronized (model) {
            return Optional.ofNullable(syncedAt);
        }
    }

    @Override
    public List<AgentView.Problem> problems() {
        List<AgentView.Problem> problems = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (model) {
            if (!model.live() && notLiveSince != null && !notLiveSince.plus(NOT_LIVE_GRACE).isAfter(now)) {
                problems.add(new AgentView.Problem("broker", "not connected to " + broker() + " (or its retained topics not loaded): "
                        + "the nodes are not watched", notLiveSince));
            }
        }
        String failure = writeFailure;
        if (!failure.isEmpty()) {
            problems.add(new AgentView.Problem("events", failure, writeFailingSince));
        }
        return problems;
    }

    @Override
    public void close() {
        judge.shutdownNow();
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) { // NOPMD: already gone; a stop must go on
            LOG.debug("disconnecting: {}", e.toString());
        }
        if (http != null) {
            http.close();
        }
    }
}
