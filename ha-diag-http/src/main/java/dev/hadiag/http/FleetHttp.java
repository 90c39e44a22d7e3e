package dev.hadiag.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.fleet.FleetAlert;
import dev.hadiag.core.fleet.NodeHealth;
import dev.hadiag.core.fleet.NodeView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The fleet view's HTTP API: {@code GET /} (the page), {@code GET /fleet} (JSON), {@code GET /metrics} (per-node series,
 * label {@code node}), {@code GET /health}. Read-only: nothing a client sends changes anything.
 */
public final class FleetHttp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin server;
    private final FleetView fleet;
    private final Clock clock;
    private final FleetPage page;

    private FleetHttp(FleetView fleet, String bind, int port, Clock clock) {
        this.fleet = fleet;
        this.clock = clock;
        this.page = new FleetPage(fleet);
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = 1024;
            config.jetty.threadPool = new QueuedThreadPool(8, 2);
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JsonErrorHandler()));
            config.routes.get("/", this::page);
            config.routes.get("/status.css", ctx -> asset(ctx, "status.css", "text/css; charset=utf-8"));
            config.routes.get("/status.js", ctx -> asset(ctx, "status.js", "text/javascript; charset=utf-8"));
            config.routes.get("/fleet", this::fleet);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/health", this::health);
            config.routes.error(404, ctx -> json(ctx, HttpStatus.NOT_FOUND, Map.of("error", "no such endpoint: " + ctx.method() + " " + ctx.path(),
                    "endpoints", List.of("GET /", "GET /fleet", "GET /metrics", "GET /health"))));
        });
        server.start(bind, port);
    }

    public static FleetHttp start(FleetView fleet, String bind, int port, Clock clock) {
        return new FleetHttp(fleet, bind, port, clock);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void page(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
                + "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("text/html; charset=utf-8").result(page.render(clock.instant()));
    }

    private static void asset(Context ctx, String name, String type) throws java.io.IOException {
        try (java.io.InputStream in = FleetHttp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException(name);
            }
            ctx.header("Cache-Control", "max-age=3600").header("X-Content-Type-Options", "nosniff").contentType(type).result(in.readAllBytes());
        }
    }

    private void health(Context ctx) {
        List<AgentView.Problem> problems = fleet.problems();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "ok" : "failing");
        if (!problems.isEmpty()) {
            body.put("problems", problems.stream().map(p -> Map.of("component", p.component(), "reason", p.reason(), "since", p.since().toString()))
                    .toList());
        }
        body.put("node", fleet.node());
        body.put("version", fleet.version());
        body.put("broker", fleet.broker());
        body.put("broker_live", fleet.live());
        json(ctx, problems.isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    /**
     * {@code GET /fleet}, written to the response as it is generated: at 10 nodes with 5,000 alerts each the body is some
     * 15 MB, which as maps, then a String, then bytes would take several times that of a small heap at once.
     */
    private void fleet(Context ctx) throws IOException {
        Instant now = clock.instant();
        List<NodeView> nodes = fleet.nodes(now);
        ctx.status(HttpStatus.OK).contentType("application/json");
        try (JsonGenerator json = JSON.getFactory().createGenerator(ctx.outputStream())) {
            json.writeStartObject();
            json.writeStringField("node", fleet.node());
            json.writeStringField("broker", fleet.broker());
            json.writeBooleanField("live", fleet.live());
            json.writeStringField("synced_at", fleet.syncedAt().map(Instant::toString).orElse(null));
            json.writeArrayFieldStart("nodes");
            for (NodeView node : nodes) {
                node(json, node);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void node(JsonGenerator json, NodeView node) throws IOException {
        boolean away = node.presence().away();
        json.writeStartObject();
        json.writeStringField("node", node.node());
        json.writeStringField("presence", node.presence().wire());
        json.writeStringField("offline_cause", away ? node.cause().wire() : null);
        json.writeObjectField("planned", away ? node.cause().planned() : null);
        json.writeStringField("version", node.health().map(NodeHealth::version).orElse(null));
        json.writeStringField("ha_state", node.health().map(NodeHealth::haState).orElse(null));
        json.writeStringField("agent_state", node.health().map(NodeHealth::agentState).orElse(null));
        json.writeStringField("last_seen", node.lastSeen().equals(Instant.EPOCH) ? null : node.lastSeen().toString());
        json.writeStringField("outage_correlation_id", node.outageId().isEmpty() ? null : node.outageId());
        json.writeObjectFieldStart("open_alerts");
        for (Map.Entry<Severity, Integer> count : node.alertsBySeverity().entrySet()) {
            json.writeNumberField(count.getKey().wireName(), count.getValue());
        }
        json.writeEndObject();
        json.writeArrayFieldStart("alerts");
        for (FleetAlert alert : node.alerts()) {
            json.writeStartObject();
            json.writeStringField("alert_key", alert.alertKey());
            json.writeStringField("type", alert.type());
            json.writeStringField("severity", alert.severity().wireName());
            json.writeStringField("correlation_id", alert.correlationId());
            json.writeStringField("opened_at", alert.openedAt().toString());
            json.writeStringField("level", alert.level());
            json.writeStringField("summary", alert.summary());
            json.writeNumberField("entity_count", alert.entityCount());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void metrics(Context ctx) {
        Instant now = clock.instant();
        List<NodeView> nodes = fleet.nodes(now);
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP ha_diag_fleet_live 1 while the fleet is connected to the broker and has loaded its retained topics\n")
                .append("# TYPE ha_diag_fleet_live gauge\nha_diag_fleet_live ").append(fleet.live() ? 1 : 0).append('\n');
        out.append("# HELP ha_diag_fleet_node_up 1 while the node's agent is online and heard from; 0 offline or silent\n")
                .append("# TYPE ha_diag_fleet_node_up gauge\n");
        nodes.stream().filter(n -> n.presence() != dev.hadiag.core.fleet.Presence.UNKNOWN).forEach(n -> out.append("ha_diag_fleet_node_up{node=\"")
                .append(label(n.node())).append("\"} ").append(n.presence().away() ? 0 : 1).append('\n'));
        out.append("# HELP ha_diag_fleet_node_ha_up 1 while the node's agent sees its Home Assistant answering\n")
                .append("# TYPE ha_diag_fleet_node_ha_up gauge\n");
        nodes.stream().filter(n -> n.health().isPresent()).forEach(n -> out.append("ha_diag_fleet_node_ha_up{node=\"").append(label(n.node()))
                .append("\"} ").append("up".equals(n.health().get().haState()) ? 1 : 0).append('\n'));
        out.append("# HELP ha_diag_fleet_node_last_seen_timestamp_seconds when the fleet last heard from the node\n")
                .append("# TYPE ha_diag_fleet_node_last_seen_timestamp_seconds gauge\n");
        nodes.stream().filter(n -> !n.lastSeen().equals(Instant.EPOCH)).forEach(n -> out.append("ha_diag_fleet_node_last_seen_timestamp_seconds{node=\"")
                .append(label(n.node())).append("\"} ").append(n.lastSeen().getEpochSecond()).append('\n'));
        out.append("# HELP ha_diag_fleet_node_open_alerts the node's open alerts, as its retained alert topics say\n")
                .append("# TYPE ha_diag_fleet_node_open_alerts gauge\n");
        for (NodeView node : nodes) {
            for (Map.Entry<Severity, Integer> count : node.alertsBySeverity().entrySet()) {
                out.append("ha_diag_fleet_node_open_alerts{node=\"").append(label(node.node())).append("\",severity=\"")
                        .append(count.getKey().wireName()).append("\"} ").append(count.getValue()).append('\n');
            }
        }
        ctx.status(HttpStatus.OK).contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
    }

    /** A Prometheus label value: backslash, quote and newline escaped (a node name from a topic may hold anything else). */
    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void json(Context ctx, HttpStatus status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("application/json").result("{\"error\":\"could not write JSON\"}");
        }
    }
}
