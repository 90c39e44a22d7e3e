package dev.hadiag.app.fleet;

import dev.hadiag.app.relay.MqttConnector;
import dev.hadiag.app.relay.MqttLink;
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
 *
 * <p>MQTT 5 or 3.1.1 ({@link MqttConnector}); it reconnects itself (500 ms, doubling to 30 s), since HiveMQ's automatic
 * reconnect is bound to one version.
 */
public final class Fleet implements FleetView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
    /** A broker away this long (or a first sync not done) makes {@code /health} fail: a reconnect is not a failure. */
    static final Duration NOT_LIVE_GRACE = Duration.ofSeconds(30);
    /** How many open alerts a node_offline lists (the count is always whole). */
    static final int LISTED_ALERTS = 100;
    private static final long RECONNECT_FIRST_MS = 500;
    private static final long RECONNECT_MAX_MS = 30_000;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    private final FleetSettings settings;
    private final Clock clock;
    private final String version;
    private final FleetModel model;
    private final FleetMessages messages;
    private final FileSystemEventSink sink;
    private final String syncTopic;
    private final MqttConnector connector;
    private volatile MqttLink client;
    private volatile boolean closing;
    private long reconnectDelayMs = RECONNECT_FIRST_MS;
    private boolean connectFailureLogged;
    private final ScheduledExecutorService judge;
    /** Connects and reconnects: a connection attempt blocks (up to twice the timeout with auto), never the judge. */
    private final ScheduledExecutorService link;
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
        this.connector = new MqttConnector(settings.mqtt());
        this.judge = daemon("ha-diag-fleet-judge");
        this.link = daemon("ha-diag-fleet-mqtt");
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
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
            fleet.link.shutdownNow();
            throw e;
        }
        fleet.link.execute(fleet::connect);
        fleet.judge.scheduleWithFixedDelay(fleet::judgeNow, 1, 1, TimeUnit.SECONDS);
        LOG.info("ha-diag fleet {} as node {}: reading {}; HTTP on {}:{}", version, settings.node(), fleet.broker(), settings.bind(),
                fleet.http.port());
        return fleet;
    }

    public int port() {
        return http.port();
    }

    /** On the link thread: one attempt (both versions with auto); on failure the next after a growing delay. */
    private void connect() {
        if (closing) {
            return;
        }
        try {
            MqttLink fresh = connector.connect(null, this::received, this::lost, CONNECT_TIMEOUT_SECONDS);
            if (closing) {
                fresh.disconnect();
                return;
            }
            client = fresh;
            reconnectDelayMs = RECONNECT_FIRST_MS;
            connectFailureLogged = false;
            connected(fresh);
        } catch (MqttConnector.ConnectFailed e) {
            if (!connectFailureLogged) {
                LOG.warn("{} yet; retrying", e.getMessage());
                connectFailureLogged = true;
            } else {
                LOG.debug("{}; retrying", e.getMessage());
            }
            retryLater();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("connecting to {} failed; retrying: {}", broker(), e.toString());
            retryLater();
        }
    }

    private void retryLater() {
        long delay = reconnectDelayMs;
        reconnectDelayMs = Math.min(RECONNECT_MAX_MS, reconnectDelayMs * 2);
        schedule(this::connect, delay);
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            link.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closing
        }
    }

    /** The connection that was up is gone (on the client's thread): judge nothing, connect again. */
    private void lost(Throwable cause) {
        disconnected(cause);
        if (!closing) {
            schedule(this::connect, RECONNECT_FIRST_MS);
        }
    }

    private void connected(MqttLink connection) {
        String token = UUID.randomUUID().toString();
        synchronized (model) {
            model.syncStarted(clock.instant());
            syncToken = token;
        }
        LOG.info("connected to the MQTT broker {} (MQTT {}): loading the retained topics", broker(), connection.protocol().wire());
        String prefix = settings.mqtt().topicPrefix();
        // QoS 0: a broker holds at most so many QoS 1 messages per client beyond those in flight (mosquitto: 20 in flight,
        // max_queued_messages 1000) and drops the rest, retained ones sent on subscribing included; 50,000 retained alerts
        // would arrive as 1,020. Nothing is lost by it: every connection rebuilds the view from the retained topics.
        connection.subscribe(List.of(prefix + "/agents/+/status", prefix + "/agents/+/health", prefix + "/alerts/#", prefix + "/events/#",
                        syncTopic))
                .thenCompose(subscribed -> connection.publish(syncTopic, token.getBytes(StandardCharsets.UTF_8), false, Map.of()))
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

    private void received(MqttLink.Message publish) {
        String topic = publish.topic();
        byte[] payload = publish.payload();
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
            String reason = publish.properties().getOrDefault("reason", "");
            try {
                messages.apply(model, topic, payload, publish.retained(), reason, now);
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
        closing = true;
        judge.shutdownNow();
        link.shutdownNow();
        MqttLink connection = client;
        if (connection != null) {
            try {
                connection.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) { // NOPMD: already gone; a stop must go on
                LOG.debug("disconnecting: {}", e.toString());
            }
        }
        if (http != null) {
            http.close();
        }
    }
}
