package dev.hadiag.http;

import static dev.hadiag.http.StatusPage.ago;
import static dev.hadiag.http.StatusPage.escape;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.fleet.FleetAlert;
import dev.hadiag.core.fleet.NodeHealth;
import dev.hadiag.core.fleet.NodeView;
import dev.hadiag.core.fleet.Presence;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's status page: one row per node (its agent's presence, its HA's state, its agent's state and version, open
 * alerts by severity, last seen), each row opening onto the node's alerts as their root-cause tree. Server-rendered like
 * the agent's page, refreshed by the same {@code status.js}.
 *
 * <p>A node's tree lists at most {@link #LISTED_PER_NODE} alerts, the most severe first (then the oldest); the counts
 * are always whole, and {@code GET /fleet} has every alert. The page's size is bounded by the number of nodes, not
 * the broker's retained topics: 10 nodes with 5,000 alerts each would otherwise be a 20 MB page refreshed every few
 * seconds by each open phone.
 */
final class FleetPage {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final List<String> LEVELS = List.of("ha", "integration", "hub", "device", "entity", "other");
    private static final Map<String, String> LEVEL_TITLES = Map.of("ha", "Home Assistant", "integration", "Integrations", "hub",
            "Hubs and bridges", "device", "Devices", "entity", "Entities", "other", "Automations, updates, repairs, backups, other tools");

    /** How many alerts a node's row lists; the rest are counted. */
    static final int LISTED_PER_NODE = 100;
    private static final Comparator<FleetAlert> MOST_SEVERE_FIRST = Comparator.comparing(FleetAlert::severity).reversed()
            .thenComparing(FleetAlert::openedAt);

    private final FleetView fleet;

    FleetPage(FleetView fleet) {
        this.fleet = fleet;
    }

    String render(Instant now) {
        List<NodeView> nodes = fleet.nodes(now);
        StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>ha-diag fleet · ").append(escape(fleet.node())).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/status.css\"></head><body>");
        html.append("<header><h1>ha-diag fleet <span class=\"node\">").append(escape(fleet.node())).append("</span></h1>")
                .append("<span class=\"meta\">").append(escape(fleet.broker())).append(" · ").append(escape(fleet.version())).append("</span></header>");
        html.append("<main id=\"status\" data-rendered=\"").append(now).append("\" data-live=\"").append(fleet.live()).append("\">");
        List<AgentView.Problem> problems = fleet.problems();
        if (!problems.isEmpty()) {
            html.append("<section id=\"problems\" class=\"card state-bad\"><h2>The fleet view is failing</h2><ul>");
            for (AgentView.Problem problem : problems) {
                html.append("<li><strong>").append(escape(problem.component())).append("</strong>: ").append(escape(problem.reason()))
                        .append(" <span class=\"age\">since ").append(ago(now, problem.since())).append("</span></li>");
            }
            html.append("</ul><p>What is shown below is the last view the fleet had; nodes are not judged while it cannot see them.</p></section>");
        }
        long away = nodes.stream().filter(n -> n.presence().away()).count();
        html.append("<section id=\"nodes\" class=\"card").append(away > 0 ? " state-bad" : "").append("\"><h2>Nodes <span class=\"count\">")
                .append(nodes.size()).append("</span></h2>");
        if (nodes.isEmpty()) {
            html.append("<p class=\"muted\">No node has published under this prefix yet.</p>");
        }
        for (NodeView node : nodes) {
            row(html, now, node);
        }
        html.append("</section>");
        html.append("<p class=\"meta updated\">Updated ").append(CLOCK.format(now)).append(" UTC").append(fleet.live() ? "" : " · not connected to the broker")
                .append("</p>");
        html.append("</main><script src=\"/status.js\" defer></script></body></html>");
        return html.toString();
    }

    private static void row(StringBuilder html, Instant now, NodeView node) {
        String presence = node.presence().wire();
        String css = switch (node.presence()) {
            case ONLINE -> "ok";
            case OFFLINE, SILENT -> "bad";
            case UNKNOWN -> "muted";
        };
        html.append("<div class=\"fleet-node state-").append(css).append("\" data-node=\"").append(escape(node.node()))
                .append("\" data-presence=\"").append(presence).append("\" data-alert-key=\"node/").append(escape(node.node())).append("\">")
                .append("<details><summary><strong class=\"name\">").append(escape(node.node())).append("</strong> <span class=\"badge presence\">")
                .append(presence).append("</span>");
        if (node.presence().away()) {
            html.append(" <span class=\"meta cause\">").append(node.cause().planned() ? "stopped (planned)" : escape(node.cause().wire())).append("</span>");
        }
        String ha = node.health().map(NodeHealth::haState).orElse("—");
        html.append(" <span class=\"ha\" data-ha-state=\"").append(escape(ha)).append("\">HA ").append(escape(ha)).append("</span>");
        html.append(" <span class=\"agent meta\">agent ").append(escape(node.health().map(h -> h.agentState() + " " + h.version()).orElse("—")))
                .append("</span>");
        html.append(" <span class=\"alerts\" data-open-alerts=\"").append(node.alerts().size()).append("\">").append(counts(node)).append("</span>");
        html.append(" <span class=\"age\">").append(node.lastSeen().equals(Instant.EPOCH) ? "never seen" : "seen " + ago(now, node.lastSeen()))
                .append("</span></summary>");
        tree(html, now, node);
        html.append("</details></div>");
    }

    private static String counts(NodeView node) {
        if (node.alerts().isEmpty()) {
            return "no open alerts";
        }
        List<String> parts = new ArrayList<>();
        Map<Severity, Integer> bySeverity = node.alertsBySeverity();
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            Severity severity = Severity.values()[i];
            if (bySeverity.get(severity) > 0) {
                parts.add(bySeverity.get(severity) + " " + severity.wireName());
            }
        }
        return String.join(" · ", parts);
    }

    private static void tree(StringBuilder html, Instant now, NodeView node) {
        if (node.presence() == Presence.OFFLINE || node.presence() == Presence.SILENT) {
            html.append("<p class=\"muted\">Away").append(node.outageId().isEmpty() ? "" : " (node_offline <code>" + escape(node.outageId()) + "</code>)")
                    .append(": the alerts below are the last the node announced.</p>");
        }
        if (node.alerts().isEmpty()) {
            html.append("<p class=\"all-clear\">No open alerts.</p>");
            return;
        }
        List<FleetAlert> listed = node.alerts();
        if (listed.size() > LISTED_PER_NODE) {
            listed = listed.stream().sorted(MOST_SEVERE_FIRST).limit(LISTED_PER_NODE).sorted(Comparator.comparing(FleetAlert::openedAt)).toList();
        }
        Map<String, List<FleetAlert>> byLevel = new LinkedHashMap<>();
        for (FleetAlert alert : listed) {
            String level = LEVELS.contains(alert.level()) ? alert.level() : "other";
            byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(alert);
        }
        for (String level : LEVELS) {
            List<FleetAlert> group = byLevel.get(level);
            if (group == null) {
                continue;
            }
            html.append("<h3>").append(LEVEL_TITLES.get(level)).append("</h3><ul class=\"tree level-").append(level).append("\">");
            for (FleetAlert alert : group) {
                String title = alert.key().map(AlertKey::id).orElse(alert.alertKey());
                html.append("<li class=\"alert sev-").append(alert.severity().wireName()).append("\" data-fleet-alert-key=\"")
                        .append(escape(alert.alertKey())).append("\"><div class=\"line\"><span class=\"badge\">").append(alert.severity().wireName())
                        .append("</span> <strong>").append(escape(title)).append("</strong> <span class=\"age\">").append(ago(now, alert.openedAt()))
                        .append("</span></div>");
                if (!alert.summary().isBlank()) {
                    html.append("<div class=\"text\">").append(escape(alert.summary())).append("</div>");
                }
                html.append("<div class=\"meta\">").append(escape(alert.type())).append(" · correlation <code>").append(escape(alert.correlationId()))
                        .append("</code>").append(alert.entityCount() > 0 ? " · " + alert.entityCount() + (alert.entityCount() == 1 ? " entity" : " entities") : "")
                        .append("</div></li>");
            }
            html.append("</ul>");
        }
        int more = node.alerts().size() - listed.size();
        if (more > 0) {
            html.append("<p class=\"muted more\" data-unlisted-alerts=\"").append(more).append("\">The ").append(listed.size())
                    .append(" most severe shown; ").append(more).append(" more open (every one in <code>GET /fleet</code>).</p>");
        }
    }
}
