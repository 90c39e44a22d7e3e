package dev.hadiag.app.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What the relay reads, where it keeps its cursor, and where it sends events (MQTT, a webhook, or both). */
public final class RelaySettings {

    private final Path eventsDir;
    private final String node;
    private final Path stateDb;
    private final MqttSettings mqtt;
    private final WebhookSettings webhook;
    private final Duration poll;
    private final Duration failingAfter;

    /**
     * @param node    this relay's node: names its MQTT status topic (the events keep their own nodes)
     * @param mqtt    null for no MQTT
     * @param webhook null for no webhook
     * @param failingAfter how long a destination may fail before the agent's /health says so
     */
    public RelaySettings(Path eventsDir, String node, Path stateDb, MqttSettings mqtt, WebhookSettings webhook, Duration poll,
            Duration failingAfter) {
        this.eventsDir = eventsDir;
        this.node = node;
        this.stateDb = stateDb;
        this.mqtt = mqtt;
        this.webhook = webhook;
        this.poll = poll;
        this.failingAfter = failingAfter;
    }

    public Path eventsDir() {
        return eventsDir;
    }

    public String node() {
        return node;
    }

    public Path stateDb() {
        return stateDb;
    }

    public Optional<MqttSettings> mqtt() {
        return Optional.ofNullable(mqtt);
    }

    public Optional<WebhookSettings> webhook() {
        return Optional.ofNullable(webhook);
    }

    public Duration poll() {
        return poll;
    }

    public Duration failingAfter() {
        return failingAfter;
    }

    public boolean hasDestination() {
        return mqtt != null || webhook != null;
    }

    @Override
    public String toString() {
        return "RelaySettings[eventsDir=" + eventsDir + ", node=" + node + ", stateDb=" + stateDb + ", mqtt=" + mqtt + ", webhook=" + webhook + "]";
    }
}
