package dev.hadiag.app.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.fleet.FleetAlert;
import dev.hadiag.core.fleet.FleetModel;
import dev.hadiag.core.fleet.NodeHealth;
import dev.hadiag.events.fs.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one message of the broker into a model update, by its topic: {@code agents/<node>/status|health},
 * {@code alerts/<node>/<topic>}, {@code events/<node>/<type>}. A message that is not what its topic promises is skipped
 * with a log line; it never stops the fleet.
 */
final class FleetMessages {

    private static final Logger LOG = LoggerFactory.getLogger(FleetMessages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A retained alert is an event file; one beyond this is not one of ours and is not parsed. */
    static final int MAX_PAYLOAD = 1024 * 1024;

    private final String prefix;

    FleetMessages(String prefix) {
        this.prefix = prefix + "/";
    }

    /**
     * @param reason the MQTT 5 user property {@code reason} of a status message, "" if none (MQTT 3.1.1: the health's
     *               {@code stopped} tells a clean stop then)
     * @return whether the topic was one of the fleet's
     */
    boolean apply(FleetModel model, String topic, byte[] payload, boolean retained, String reason, Instant now) {
        if (!topic.startsWith(prefix)) {
            return false;
        }
        String[] levels = topic.substring(prefix.length()).split("/", -1);
        if (levels.length != 3 || levels[1].isEmpty()) {
            return false;
        }
        String node = levels[1];
        switch (levels[0]) {
            case "agents" -> {
                if (levels[2].equals("status")) {
                    status(model, node, payload, retained, reason, now);
                } else if (levels[2].equals("health")) {
                    health(model, node, payload, retained, now);
                } else {
                    return false;
                }
            }
            case "alerts" -> alert(model, node, levels[2], payload, retained, now);
            case "events" -> {
                if (!retained) {
                    model.event(node, now);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void status(FleetModel model, String node, byte[] payload, boolean retained, String reason, Instant now) {
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            model.statusCleared(node);
        } else if (text.equals("online") || text.equals("offline")) {
            if (reason.isEmpty()) {
                model.statusWithoutReason(node, text.equals("online"), retained, now);
            } else {
                model.status(node, text.equals("online"), "stopped".equals(reason), retained, now);
            }
        } else {
            LOG.warn("skipping the status of node {}: '{}' is neither online nor offline", node, abbreviate(text));
        }
    }

    private static void health(FleetModel model, String node, byte[] payload, boolean retained, Instant now) {
        if (payload.length == 0) {
            return; // cleared with the node
        }
        try {
            JsonNode json = JSON.readTree(payload);
            Instant published = Instant.parse(json.path("published_at").asText());
            model.health(node, new NodeHealth(json.path("version").asText("unknown"), json.path("ha_state").asText("unknown"),
                    json.path("agent_state").asText("unknown"), json.path("open_alerts").asInt(-1), published,
                    Duration.ofSeconds(Math.max(0, json.path("heartbeat_s").asLong(0))), json.path("stopped").asBoolean(false)), retained, now);
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("skipping the health of node {}: not the health JSON ({})", node, e.getMessage());
        }
    }

    private static void alert(FleetModel model, String node, String topic, byte[] payload, boolean retained, Instant now) {
        if (payload.length == 0) {
            model.alertCleared(node, topic, now);
            return;
        }
        if (payload.length > MAX_PAYLOAD) {
            LOG.warn("skipping alert {} of node {}: {} bytes is not an event file", topic, node, payload.length);
            return;
        }
        Event event;
        try {
            event = EventJson.parse(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping alert {} of node {}: not an event: {}", topic, node, e.getMessage());
            return;
        }
        Object key = event.payload().get("alert_key");
        if (!(key instanceof String alertKey) || alertKey.isBlank()) {
            LOG.warn("skipping alert {} of node {}: the event has no alert_key", topic, node);
            return;
        }
        Object summary = event.payload().get("summary");
        model.alertOpen(node, topic, new FleetAlert(alertKey, event.type(), event.severity(), event.correlationId(), event.timestamp(),
                summary instanceof String text ? text : "", entityCount(event)), retained, now);
    }

    private static int entityCount(Event event) {
        if (event.payload().get("entity_count") instanceof Number count) {
            return count.intValue();
        }
        return event.payload().get("entities") instanceof Collection<?> entities ? entities.size() : 0;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
