package dev.hadiag.app.testing;

import static org.awaitility.Awaitility.await;

import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Devices and entities made on the test Home Assistant through MQTT discovery, published with HA's own
 * {@code mqtt.publish} service (so the local and the container HA work alike). Every retained topic it set is
 * cleared on {@link #close()}: an empty retained discovery config removes the entity, and its device with it.
 */
public final class MqttDiscovery implements AutoCloseable {

    private final RealHomeAssistant ha;
    private final OkHttpHomeAssistant client;
    private final Set<String> retained = new LinkedHashSet<>();

    public MqttDiscovery(RealHomeAssistant ha, OkHttpHomeAssistant client) {
        this.ha = ha;
        this.client = client;
    }

    /** A bridge made by {@link #bridge}: its devices' names and the topic that takes them all offline. */
    public record Bridge(String name, String childPrefix, String availabilityTopic) {

        public String child(int i) {
            return childPrefix + i;
        }
    }

    /**
     * A Zigbee2MQTT-like bridge: a bridge device {@code "<label> bridge"} whose connection entity stays available, and
     * {@code children} devices {@code "<label> child <i>"} behind it ({@code via_device}), each with a temperature
     * sensor whose availability is the bridge's. Topics and ids are named after {@code slug}, so two tests never share one.
     */
    public Bridge bridge(String slug, String label, int children) {
        String prefix = "ha-diag-" + slug;
        Bridge made = new Bridge(label + " bridge", label + " child ", prefix + "/bridge/availability");
        String id = "ha_diag_" + slug + "_bridge";
        String bridge = "{\"identifiers\": [\"" + id + "\"], \"name\": \"" + made.name() + "\", \"manufacturer\": \"ha-diag\", "
                + "\"model\": \"Bridge\"}";
        discover("binary_sensor", id + "_connection", "{\"name\": \"Connection state\", \"unique_id\": \"" + id + "_connection\", "
                + "\"state_topic\": \"" + prefix + "/bridge/connection\", \"device_class\": \"connectivity\", \"device\": " + bridge + "}");
        retain(prefix + "/bridge/connection", "ON");
        retain(made.availabilityTopic(), "online");
        // HA links a child to its via_device only if that device exists when the child registers.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.deviceRegistry().stream().anyMatch(d -> d.name().equals(made.name())));
        for (int i = 0; i < children; i++) {
            String child = "ha_diag_" + slug + "_child_" + i;
            String device = "{\"identifiers\": [\"" + child + "\"], \"name\": \"" + made.child(i) + "\", \"via_device\": \"" + id + "\"}";
            discover("sensor", child, "{\"name\": \"Temperature\", \"unique_id\": \"" + child + "_t\", "
                    + "\"state_topic\": \"" + prefix + "/child" + i + "/t\", \"availability_topic\": \"" + made.availabilityTopic() + "\", "
                    + "\"device\": " + device + "}");
            retain(prefix + "/child" + i + "/t", String.valueOf(20 + i));
        }
        return made;
    }

    /** Publishes once, not retained. */
    public void publish(String topic, String payload) {
        send(topic, payload, false);
    }

    /** Publishes retained, and clears the topic on close. */
    public void retain(String topic, String payload) {
        retained.add(topic);
        send(topic, payload, true);
    }

    /** Announces an entity: {@code homeassistant/<component>/<objectId>/config}, retained. */
    public void discover(String component, String objectId, String config) {
        retain("homeassistant/" + component + "/" + objectId + "/config", config);
    }

    private void send(String topic, String payload, boolean retain) {
        ha.callService("mqtt", "publish", "{\"topic\": \"" + topic + "\", \"payload\": \"" + payload.replace("\"", "\\\"")
                + "\", \"retain\": " + retain + "}");
    }

    @Override
    public void close() {
        // Entities first, so that no entity sees its state topic emptied.
        retained.stream().filter(topic -> topic.startsWith("homeassistant/")).forEach(topic -> send(topic, "", true));
        retained.stream().filter(topic -> !topic.startsWith("homeassistant/")).forEach(topic -> send(topic, "", true));
        retained.clear();
    }
}
