package dev.hadiag.http;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.HaSeen;
import dev.hadiag.core.diagnostics.AlertListing;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status page ({@code GET /}): what is wrong right now, for a person on a phone. Rendered on the server, so it
 * works without JavaScript; {@code status.js} swaps in a fresh {@code <main>} every 10 s when JavaScript is on.
 * Everything it needs ships in the jar (no CDN, no external font): homelabs run offline.
 */
final class StatusPage {

    static final Duration TIMELINE = Duration.ofHours(24);
    static final int TIMELINE_LIMIT = 500;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);

    /** The levels of the root-cause tree, highest first: the order an operator fixes things in. */
    private static final List<String> LEVELS = List.of("ha", "integration", "hub", "device", "entity");
    private static final Map<String, String> LEVEL_TITLES = Map.of("ha", "Home Assistant", "integration", "Integrations", "hub",
            "Hubs and bridges", "device", "Devices", "entity", "Entities", "other", "Automations, updates, repairs, backups");

    private final AgentView agent;

    StatusPage(AgentView agent) {
        this.agent = agent;
    }

    String render(Instant now) {
        StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>ha-diag · ").append(escape(agent.node())).append("</title>")
                .append("<link rel=\"stylesheet\" href=\"/status.css\"></head><body>");
        html.append("<header><h1>ha-diag <span class=\"node\">").append(escape(agent.node())).append("</span></h1>")
                .append("<span class=\"meta\">agent ").append(escape(agent.version())).append("</span></header>");
        actionsBar(html);
        html.append("<main id=\"status\" data-rendered=\"").append(now).append("\">");
        Map<String, Finding> findings = currentFindings();
        List<OpenAlert> alerts = safe(agent::openAlerts, List.of());
        Map<String, AlertListing.Listed> listed = new HashMap<>();
        safe(() -> AlertRoutes.listed(agent, now), List.<AlertListing.Listed>of()).forEach(l -> listed.put(l.alert().alertKey(), l));
        List<Event> events = safe(() -> agent.recentEvents(now.minus(TIMELINE), TIMELINE_LIMIT), List.of());
        problems(html, now);
        homeAssistant(html, now, alerts);
        alerts(html, now, alerts, findings, openingSummaries(events), listed);
        checks(html, now);
        timeline(html, now, events);
        silences(html, now);
        html.append("<p class=\"meta updated\">Updated ").append(CLOCK.format(now)).append(" UTC</p>");
        html.append("</main><script src=\"/status.js\" defer></script></body></html>");
        return html.toString();
    }

    /** What stops the agent from doing its job (no event can be written): above everything, since alerts cannot get out. */
    private void problems(StringBuilder html, Instant now) {
        List<AgentView.Problem> problems = safe(agent::problems, List.of());
        if (problems.isEmpty()) {
            return;
        }
        html.append("<section id=\"problems\" class=\"card state-bad\"><h2>The agent is failing</h2><ul>");
        for (AgentView.Problem problem : problems) {
            html.append("<li><strong>").append(escape(problem.component())).append("</strong>: ").append(escape(problem.reason()))
                    .append(" <span class=\"age\">since ").append(ago(now, problem.since())).append("</span></li>");
        }
        html.append("</ul>");
        if (problems.stream().anyMatch(problem -> !problem.component().equals("relay"))) {
            html.append("<p>Alerts found meanwhile are not reaching the events directory.</p>");
        }
        if (problems.stream().anyMatch(problem -> problem.component().equals("relay"))) {
            html.append("<p>The events are written, but the relay does not deliver them: no pushes arrive. They wait on disk and go "
                    + "out once the destination takes them again (a refused event is skipped).</p>");
        }
        html.append("</section>");
    }

    // --- Home Assistant ---

    private void homeAssistant(StringBuilder html, Instant now, List<OpenAlert> alerts) {
        CheckReport heartbeat = safe(agent::lastReports, Map.<String, CheckReport>of()).get("heartbeat");
        // What the heartbeat saw of HA, as the value it carries: answering (its version, its core state) or not.
        Optional<HaSeen.Answering> answering = heartbeat != null && heartbeat.haSeen() instanceof HaSeen.Answering seen
                ? Optional.of(seen) : Optional.empty();
        Optional<OpenAlert> authFailed = alerts.stream().filter(a -> a.type() == AlertType.AUTH_FAILED).findFirst();
        Optional<OpenAlert> dead = alerts.stream().filter(a -> a.type() == AlertType.WEBSOCKET_DEAD).findFirst();
        String state;
        String css;
        String detail = "";
        if (authFailed.isPresent()) {
            state = "token rejected";
            css = "bad";
            detail = "since " + ago(now, authFailed.get().openedAt()) + ": create a new long-lived token";
        } else if (dead.isPresent() || agent.haReachable().filter(up -> !up).isPresent()) {
            state = "down";
            css = "bad";
            detail = dead.map(d -> "since " + ago(now, d.openedAt())).or(() -> safe(agent::haStateSince, Optional.<Instant>empty())
                    .map(since -> "since " + ago(now, since))).orElse("the last heartbeat found it unreachable");
        } else if (answering.filter(seen -> seen.state().isStarting()).isPresent()) {
            state = "starting";
            css = "warn";
            detail = safe(agent::haStateSince, Optional.<Instant>empty()).map(since -> "since " + ago(now, since)).orElse("");
        } else if (agent.haReachable().isPresent()) {
            state = "up";
            css = "ok";
            detail = safe(agent::haStateSince, Optional.<Instant>empty()).map(since -> "answering since " + ago(now, since)
                    + " (as far as this agent has seen)").orElse("");
        } else {
            state = "not checked yet";
            css = "muted";
        }
        html.append("<section id=\"ha\" class=\"card state-").append(css).append("\"><h2>Home Assistant</h2>")
                .append("<p class=\"big\" data-ha-state=\"").append(escape(state)).append("\">").append(escape(state)).append("</p>");
        if (!detail.isEmpty()) {
            html.append("<p>").append(escape(detail)).append("</p>");
        }
        html.append("<dl>");
        if (heartbeat != null) {
            answering.map(HaSeen.Answering::version).filter(version -> !version.isEmpty())
                    .ifPresent(version -> html.append("<dt>Version</dt><dd>").append(escape(version)).append("</dd>"));
            html.append("<dt>Last heartbeat</dt><dd>").append(ago(now, heartbeat.startedAt())).append(" (")
                    .append(heartbeat.duration().toMillis()).append(" ms)</dd>");
        }
        html.append("<dt>WebSocket</dt><dd>").append(agent.webSocketConnected() ? "connected" : "disconnected").append("</dd></dl></section>");
    }

    // --- alerts as their root-cause tree ---

    /**
     * The summary each incident's first event in the timeline has, by correlation id: an open alert shows the text its
     * event was written with, as the timeline does (issue 26: the dead WebSocket's alert showed the heartbeat's text, its
     * event the watchdog's).
     */
    private static Map<String, String> openingSummaries(List<Event> events) {
        Map<String, String> summaries = new HashMap<>();
        for (Event event : events) {
            if (AlertType.fromType(event.type()).isPresent() && event.payload().get("summary") instanceof String text && !text.isBlank()) {
                summaries.putIfAbsent(event.correlationId() + "/" + event.type(), text);
            }
        }
        return summaries;
    }

    private void alerts(StringBuilder html, Instant now, List<OpenAlert> alerts, Map<String, Finding> findings, Map<String, String> opened,
            Map<String, AlertListing.Listed> listed) {
        html.append("<section id=\"alerts\" class=\"card\"><h2>Open alerts <span class=\"count\">").append(alerts.size())
                .append("</span></h2>");
        if (alerts.isEmpty()) {
            html.append("<p class=\"all-clear\">Nothing is wrong that the agent can see.</p></section>");
            return;
        }
        Map<String, List<OpenAlert>> byLevel = new LinkedHashMap<>();
        for (OpenAlert alert : alerts) {
            String kind = kindOf(alert);
            byLevel.computeIfAbsent(LEVELS.contains(kind) ? kind : "other", k -> new ArrayList<>()).add(alert);
        }
        List<String> order = new ArrayList<>(LEVELS);
        order.add("other");
        for (String level : order) {
            List<OpenAlert> group = byLevel.get(level);
            if (group == null) {
                continue;
            }
            group.sort(Comparator.comparing((OpenAlert a) -> -AlertListing.severity(a, findings).ordinal()).thenComparing(OpenAlert::openedAt));
            html.append("<h3>").append(LEVEL_TITLES.get(level)).append("</h3><ul class=\"tree level-").append(level).append("\">");
            for (OpenAlert alert : group) {
                Finding finding = findings.get(alert.alertKey());
                Severity severity = AlertListing.severity(alert, findings);
                String title = finding != null ? finding.rootCause().name() : idOf(alert);
                AlertListing.Listed state = listed.get(alert.alertKey());
                String hold = state == null ? "reported" : stateOf(state);
                html.append("<li class=\"alert sev-").append(severity.wireName()).append(" alert-").append(hold).append("\" data-alert-key=\"")
                        .append(escape(alert.alertKey())).append("\" data-correlation-id=\"").append(escape(alert.correlationId()))
                        .append("\" data-alert-state=\"").append(hold).append("\"><div class=\"line\"><span class=\"badge\">")
                        .append(severity.wireName()).append("</span> <strong>").append(escape(title)).append("</strong> <span class=\"age\">")
                        .append(ago(now, alert.openedAt())).append("</span>");
                if (!hold.equals("reported")) {
                    html.append(" <span class=\"hold hold-").append(hold).append("\">").append(escape(holdText(state, now))).append("</span>");
                }
                html.append("</div>");
                String openedWith = opened.get(alert.correlationId() + "/" + alert.type().type());
                String current = finding != null && !finding.summary().isBlank() ? finding.summary() : null;
                if (openedWith != null) {
                    html.append("<div class=\"text\">").append(escape(openedWith)).append("</div>");
                    if (current != null && !current.equals(openedWith)) {
                        html.append("<div class=\"text now\">Now: ").append(escape(current)).append("</div>");
                    }
                } else if (current != null) {
                    html.append("<div class=\"text\">").append(escape(current)).append("</div>");
                }
                html.append("<div class=\"meta\">").append(escape(alert.type().type())).append(" · correlation <code>")
                        .append(escape(alert.correlationId())).append("</code></div>");
                alertActions(html, alert, hold);
                if (!alert.entities().isEmpty()) {
                    html.append("<details><summary>").append(alert.entities().size()).append(alert.entities().size() == 1 ? " entity" : " entities")
                            .append("</summary><ul class=\"entities\">");
                    for (String entity : alert.entities()) {
                        html.append("<li><code>").append(escape(entity)).append("</code></li>");
                    }
                    html.append("</ul></details>");
                }
                html.append("</li>");
            }
            html.append("</ul>");
        }
        html.append("</section>");
    }

    /** {@code silenced}, {@code held} (the storm guard), {@code acknowledged} or {@code reported}: what happens to its events. */
    static String stateOf(AlertListing.Listed alert) {
        if (alert.acknowledged()) {
            return "acknowledged";
        }
        if (!alert.silencedBy().isEmpty() || alert.heldReason().filter("silenced"::equals).isPresent()) {
            return "silenced";
        }
        return alert.heldReason().isPresent() ? "held" : "reported";
    }

    private static String holdText(AlertListing.Listed alert, Instant now) {
        return switch (stateOf(alert)) {
            case "acknowledged" -> "acknowledged: no repeats until it resolves";
            case "silenced" -> alert.silencedBy().isEmpty() ? "silenced"
                    : "silenced by silence " + alert.silencedBy().get(0).id() + " " + in(now, alert.silencedBy().get(0).endsAt()).replace("in ", "for ");
            default -> "held by the storm guard: not written";
        };
    }

    // --- actions (issue 26 item 17): buttons status.js sends to the API, with the API token the person entered ---

    /** Durations offered for a silence from the page. */
    static final List<String> SILENCE_DURATIONS = List.of("15m", "1h", "4h", "1d");

    /**
     * The token box and the silence duration, outside {@code <main>} so the 10 s refresh keeps what was typed. The token
     * stays in the tab's sessionStorage (status.js); the page itself never holds it. Hidden without JavaScript.
     */
    private static void actionsBar(StringBuilder html) {
        html.append("<section id=\"actions\" class=\"card actions-bar\" hidden><form id=\"token-form\" autocomplete=\"off\">")
                .append("<label for=\"api-token\">API token</label> <input type=\"password\" id=\"api-token\" name=\"api-token\" ")
                .append("placeholder=\"HA_DIAG_API_TOKEN\" autocomplete=\"off\"> <button type=\"submit\" id=\"token-use\">Use</button> ")
                .append("<button type=\"button\" id=\"token-forget\">Forget</button> <label for=\"silence-for\">silence for</label> ")
                .append("<select id=\"silence-for\">");
        for (String duration : SILENCE_DURATIONS) {
            html.append("<option value=\"").append(duration).append("\"").append(duration.equals("1h") ? " selected" : "").append(">")
                    .append(duration).append("</option>");
        }
        html.append("</select></form><p id=\"action-result\" class=\"meta\" role=\"status\"></p></section>");
    }

    private static void alertActions(StringBuilder html, OpenAlert alert, String hold) {
        html.append("<div class=\"actions\">");
        if (!hold.equals("acknowledged")) {
            html.append("<button type=\"button\" class=\"action\" data-action=\"acknowledge\" data-correlation-id=\"")
                    .append(escape(alert.correlationId())).append("\">Acknowledge</button>");
        }
        html.append("<button type=\"button\" class=\"action\" data-action=\"silence\" data-field=\"alert_key\" data-glob=\"")
                .append(escape(alert.alertKey())).append("\">Silence alert</button>");
        AlertKey.parse(alert.alertKey()).ifPresent(key -> {
            String field = switch (key.kind()) {
                case DEVICE -> "device";
                case INTEGRATION -> "integration";
                case HUB -> "hub";
                default -> "";
            };
            if (!field.isEmpty()) {
                html.append("<button type=\"button\" class=\"action\" data-action=\"silence\" data-field=\"").append(field)
                        .append("\" data-glob=\"").append(escape(key.id())).append("\">Silence ").append(field).append("</button>");
            }
        });
        html.append("</div>");
    }

    private static String runButton(AgentView.CheckInfo check) {
        return "<td class=\"action-col\"><button type=\"button\" class=\"action\" data-action=\"run\" data-check=\"" + escape(check.name())
                + "\">Run now</button></td>";
    }

    // --- silences ---

    private void silences(StringBuilder html, Instant now) {
        List<Silence> active = safe(agent::silences, List.<Silence>of()).stream().filter(s -> s.activeAt(now)).toList();
        html.append("<section id=\"silences\" class=\"card\"><h2>Silences <span class=\"count\">").append(active.size()).append("</span></h2>");
        if (active.isEmpty()) {
            html.append("<p class=\"muted\">No silence is active: every open alert above is being reported.</p></section>");
            return;
        }
        html.append("<ul class=\"silences\">");
        for (Silence silence : active) {
            html.append("<li class=\"silence\" data-silence-id=\"").append(silence.id()).append("\"><strong>#").append(silence.id()).append("</strong> <code>")
                    .append(escape(String.join(" ", silence.matchers().stream().map(SilenceMatcher::toString).toList()))).append("</code> <span class=\"age\">until ")
                    .append(DAY_CLOCK.format(silence.endsAt())).append(" UTC (").append(in(now, silence.endsAt())).append(")</span>");
            if (!silence.comment().isEmpty()) {
                html.append("<div class=\"text\">").append(escape(silence.comment())).append("</div>");
            }
            html.append("<div class=\"meta\">by ").append(escape(silence.createdBy())).append("</div>")
                    .append("<div class=\"actions\"><button type=\"button\" class=\"action\" data-action=\"expire\" data-silence-id=\"")
                    .append(silence.id()).append("\">Expire now</button></div></li>");
        }
        html.append("</ul></section>");
    }

    private Map<String, Finding> currentFindings() {
        return AlertListing.currentFindings(safe(agent::lastReports, Map.<String, CheckReport>of()).values());
    }

    private static String kindOf(OpenAlert alert) {
        return AlertKey.parse(alert.alertKey()).map(key -> key.kind().wire()).orElse("other");
    }

    private static String idOf(OpenAlert alert) {
        return AlertKey.parse(alert.alertKey()).map(AlertKey::id).orElse(alert.alertKey());
    }

    // --- checks ---

    private void checks(StringBuilder html, Instant now) {
        Map<String, CheckReport> reports = safe(agent::lastReports, Map.<String, CheckReport>of());
        html.append("<section id=\"checks\" class=\"card\"><h2>Checks</h2><table><thead><tr><th>check</th><th>result</th>"
                + "<th>last run</th><th class=\"col-took\">took</th><th>next</th><th class=\"action-col\"></th></tr></thead><tbody>");
        for (AgentView.CheckInfo check : agent.checks()) {
            if (!check.enabled()) {
                continue;
            }
            CheckReport report = reports.get(check.name());
            html.append("<tr data-check=\"").append(escape(check.name())).append("\"><td>").append(escape(check.name())).append("</td>");
            if (report == null) {
                html.append("<td class=\"muted\">not yet</td><td></td><td class=\"col-took\"></td><td></td>").append(runButton(check)).append("</tr>");
                continue;
            }
            String text = !report.reason().isEmpty() ? report.reason() : report.note();
            html.append("<td class=\"result-").append(report.status().wire()).append("\" title=\"").append(escape(text)).append("\">")
                    .append(report.status().wire()).append(report.findings().isEmpty() ? "" : " (" + report.findings().size() + ")")
                    .append("</td><td>").append(ago(now, report.startedAt())).append("</td><td class=\"col-took\">").append(report.duration().toMillis())
                    .append(" ms</td><td").append(check.live() ? " title=\"watches the live stream; alerts are decided every "
                            + human(check.interval()) + "\">live" : ">" + in(now, report.startedAt().plus(check.interval())))
                    .append("</td>").append(runButton(check)).append("</tr>");
        }
        html.append("</tbody></table></section>");
    }

    // --- timeline ---

    private void timeline(StringBuilder html, Instant now, List<Event> events) {
        Instant from = now.minus(TIMELINE);
        html.append("<section id=\"timeline\" class=\"card\"><h2>Last 24 hours</h2>");
        if (events.isEmpty()) {
            html.append("<p class=\"muted\">No events in the last 24 hours.</p></section>");
            return;
        }
        // An incident is its opening and its resolution, joined by correlation id; anything else is a point in time.
        record Incident(Event first, Instant start, Instant end, boolean resolved) {
        }
        Map<String, Incident> incidents = new LinkedHashMap<>();
        for (Event event : events) {
            boolean opening = AlertType.fromType(event.type()).isPresent();
            boolean resolution = AlertType.fromResolutionType(event.type()).isPresent();
            String key = event.node() + "/" + event.correlationId();
            Incident known = incidents.get(key);
            if (resolution && known != null) {
                incidents.put(key, new Incident(known.first(), known.start(), event.timestamp(), true));
            } else if (known == null) {
                incidents.put(key, new Incident(event, resolution ? from : event.timestamp(), resolution ? event.timestamp() : now,
                        resolution || !opening));
            }
        }
        html.append("<ol class=\"timeline\">");
        double span = TIMELINE.toMillis();
        for (Incident incident : incidents.values()) {
            Event event = incident.first();
            double left = Math.max(0, Duration.between(from, incident.start()).toMillis() / span * 100);
            double width = Math.max(0.6, Duration.between(incident.start(), incident.end()).toMillis() / span * 100);
            String state = AlertType.fromType(event.type()).isEmpty() && AlertType.fromResolutionType(event.type()).isEmpty() ? "point"
                    : incident.resolved() ? "resolved" : "open";
            Object summary = event.payload().get("summary");
            html.append("<li class=\"incident ").append(state).append(" sev-").append(event.severity().wireName())
                    .append("\" data-correlation-id=\"").append(escape(event.correlationId())).append("\" data-state=\"").append(state)
                    .append("\"><div class=\"label\"><strong>").append(escape(event.type())).append("</strong> <span class=\"meta\">")
                    .append(escape(event.node())).append(" · ").append(DAY_CLOCK.format(incident.start()));
            if (state.equals("resolved")) {
                html.append(" → ").append(DAY_CLOCK.format(incident.end()));
            } else if (state.equals("open")) {
                html.append(" → ongoing");
            }
            html.append("</span></div>");
            if (summary instanceof String text && !text.isBlank()) {
                html.append("<div class=\"text\">").append(escape(text)).append("</div>");
            }
            html.append("<div class=\"track\"><span class=\"bar\" style=\"left:").append(String.format(java.util.Locale.ROOT, "%.2f", left))
                    .append("%;width:").append(String.format(java.util.Locale.ROOT, "%.2f", Math.min(width, 100 - left))).append("%\"></span></div></li>");
        }
        html.append("</ol>");
        if (events.size() >= TIMELINE_LIMIT) {
            html.append("<p class=\"meta\">Showing the most recent ").append(TIMELINE_LIMIT).append(" events.</p>");
        }
        html.append("</section>");
    }

    // --- helpers ---

    private static <T> T safe(java.util.function.Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            // The page degrades instead of failing: a store or tree that cannot be read shows as empty.
            return fallback;
        }
    }

    static String ago(Instant now, Instant then) {
        return human(Duration.between(then, now)) + " ago";
    }

    static String in(Instant now, Instant then) {
        Duration left = Duration.between(now, then);
        return left.isNegative() ? "due" : "in " + human(left);
    }

    private static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
        }
        return seconds / 86_400 + " d " + (seconds % 86_400) / 3600 + " h";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
