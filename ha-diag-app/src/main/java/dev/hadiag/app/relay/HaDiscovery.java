package dev.hadiag.app.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery for one agent (issue 28 item 4): a device {@code ha-diag <node>} with a {@code binary_sensor}
 * "Problem" (on while an alert at error or critical is open) and a {@code sensor} "Open alerts" (their count), both
 * available while the agent's retained status topic says {@code online}: its clean stop and its last will say
 * {@code offline}, and HA then shows them unavailable. Single-component discovery with full keys, which HA 2024.3 and
 * 2026.11 read alike. A convenience for HA's dashboards and automations: when HA is down it shows nothing, so this is never
 * how HA's own outage is reported.
 */
final class HaDiscovery {

    static final String ON = "ON";
    static final String OFF = "OFF";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One retained message to publish. */
    record Message(String topic, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** What the two entities show. */
    record State(int openAlerts, boolean problem) {
    }

    private final String discoveryPrefix;
    private final String node;
    private final String id;
    private final String statusTopic;
    private final String problemTopic;
    private final String openAlertsTopic;

    /**
     * @param discoveryPrefix HA's discovery prefix ({@code homeassistant} by default)
     * @param topicPrefix     the relay's own prefix: the state topics sit beside the agent's status topic
     * @param node            the relay's node (the agent's {@code node_name})
     */
    HaDiscovery(String discoveryPrefix, String topicPrefix, String node) {
        this.discoveryPrefix = discoveryPrefix;
        this.node = node;
        this.id = "ha_diag_" + slug(node);
        this.statusTopic = MqttDestination.agentTopic(topicPrefix, node, "status");
        this.problemTopic = MqttDestination.agentTopic(topicPrefix, node, "problem");
        this.openAlertsTopic = MqttDestination.agentTopic(topicPrefix, node, "open_alerts");
    }

    String problemConfigTopic() {
        return discoveryPrefix + "/binary_sensor/" + id + "/problem/config";
    }

    String openAlertsConfigTopic() {
        return discoveryPrefix + "/sensor/" + id + "/open_alerts/config";
    }

    String problemTopic() {
        return problemTopic;
    }

    String openAlertsTopic() {
        return openAlertsTopic;
    }

    /** The two entities' config messages, retained: HA creates the entities (and the device) from them. */
    List<Message> configs(String version) {
        Map<String, Object> problem = entity("Problem", id + "_problem", problemTopic, version);
        problem.put("device_class", "problem");
        problem.put("payload_on", ON);
        problem.put("payload_off", OFF);
        Map<String, Object> open = entity("Open alerts", id + "_open_alerts", openAlertsTopic, version);
        open.put("state_class", "measurement");
        open.put("icon", "mdi:alert-circle-outline");
        return List.of(new Message(problemConfigTopic(), json(problem)), new Message(openAlertsConfigTopic(), json(open)));
    }

    /** The two state messages, retained, so HA has the state as soon as it subscribes (at its start, too). */
    List<Message> state(State state) {
        return List.of(new Message(problemTopic, bytes(state.problem() ? ON : OFF)),
                new Message(openAlertsTopic, bytes(String.valueOf(state.openAlerts()))));
    }

    private Map<String, Object> entity(String name, String uniqueId, String stateTopic, String version) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("unique_id", uniqueId);
        config.put("state_topic", stateTopic);
        config.put("availability_topic", statusTopic);
        config.put("payload_available", "online");
        config.put("payload_not_available", "offline");
        config.put("qos", 1);
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("identifiers", List.of(id));
        device.put("name", "ha-diag " + node);
        device.put("manufacturer", "ha-diag");
        device.put("model", "ha-diag agent");
        device.put("sw_version", version);
        config.put("device", device);
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("name", "ha-diag");
        origin.put("sw_version", version);
        config.put("origin", origin);
        return config;
    }

    /**
     * The node as HA's discovery topic and unique ids allow it ({@code [a-zA-Z0-9_-]}): the name itself when it fits;
     * otherwise every other character as {@code _} and a digest of the real name, so that {@code pi.lab} and {@code pi_lab}
     * stay two devices, each with the same ids at every start.
     */
    static String slug(String node) {
        StringBuilder out = new StringBuilder(node.length());
        for (char c : node.toCharArray()) {
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            out.append(allowed ? c : '_');
        }
        String slug = out.toString();
        if (!slug.isEmpty() && slug.equals(node)) {
            return slug;
        }
        return (slug.isEmpty() ? "" : slug + "_") + digest(node);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the discovery JSON", e);
        }
    }
}
