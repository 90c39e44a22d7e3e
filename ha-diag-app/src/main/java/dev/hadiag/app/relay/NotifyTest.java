package dev.hadiag.app.relay;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.event.Severity;
import dev.hadiag.events.fs.EventJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ha-diag notify test}: one test event through every configured destination, each asked directly (no cursor, no
 * events tree: the test is never written there, so no consumer of the tree takes it for a real event), with what each
 * answered.
 */
public final class NotifyTest {

    /**
     * What one destination did with the test event.
     *
     * @param answer what it answered, or why it could not be reached; never a secret (URLs show as the relay names them)
     */
    public record Answer(String destination, boolean ok, String answer) {
    }

    private NotifyTest() {
    }

    /** Sends the test event to each destination of {@code settings}, one after the other; never throws for a failed one. */
    public static List<Answer> send(RelaySettings settings, Instant now) {
        Event event = event(settings.node(), now);
        byte[] bytes = EventJson.toFileBytes(event);
        String id = UUID.randomUUID().toString();
        String name = now.toString().replace("-", "").replace(":", "") + "_" + event.type() + "_" + id + ".json";
        RelayEvent relayed = RelayEvent.of(new EventFile(now.toString().substring(0, 10), settings.node(), name, Path.of(name)), bytes, event);
        List<Answer> answers = new ArrayList<>();
        settings.mqtt().ifPresent(mqtt -> {
            try (MqttDestination mqttDestination = MqttDestination.forOneEvent(mqtt, settings.node())) {
                mqttDestination.deliver(relayed);
                answers.add(new Answer(mqttDestination.name(), true, "published to " + mqtt.topicPrefix() + "/events/"
                        + MqttDestination.level(settings.node()) + "/" + event.type() + ", acknowledged by the broker"));
            } catch (DeliveryException e) {
                answers.add(new Answer("mqtt " + mqtt.url().getHost() + ":" + mqtt.port(), false, e.getMessage()));
            }
        });
        settings.webhook().ifPresent(webhook -> {
            WebhookDestination destination = new WebhookDestination(webhook);
            try {
                destination.deliver(relayed);
                answers.add(new Answer(destination.name(), true, "answered " + destination.lastStatus()));
            } catch (DeliveryException e) {
                answers.add(new Answer(destination.name(), false, e.getMessage()));
            }
        });
        return answers;
    }

    /**
     * Info and without an alert key: nothing takes it for an alert (MQTT keeps no retained alert of it), and it says plainly
     * that it is a test.
     */
    static Event event(String node, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("check", "notify_test");
        payload.put("summary", "ha-diag notify test from " + node + ": if you read this, this destination works (nothing is wrong)");
        return Event.of(now, node, EventTypes.HA_DIAG_NOTIFY_TEST, Severity.INFO, "ha-diag-agent", "homeassistant", "notify-test-"
                + now.toEpochMilli(), payload);
    }
}
