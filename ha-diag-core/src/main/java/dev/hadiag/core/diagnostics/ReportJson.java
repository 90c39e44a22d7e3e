package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.store.OpenAlert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of reports and alerts, as maps, so that {@code check --json}, {@code /trigger} and
 * {@code /alerts} show one and the same thing.
 */
public final class ReportJson {

    private ReportJson() {
    }

    public static Map<String, Object> report(CheckReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", report.check());
        json.put("status", report.status().wire());
        json.put("reason", report.reason());
        json.put("note", report.note());
        json.put("started_at", report.startedAt().toString());
        json.put("duration_ms", report.duration().toMillis());
        json.put("events_emitted", report.eventsEmitted());
        json.put("findings", report.findings().stream().map(ReportJson::finding).toList());
        if (!report.measures().isEmpty()) {
            json.put("measures", new java.util.TreeMap<>(report.measures()));
        }
        return json;
    }

    public static Map<String, Object> finding(Finding finding) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("alert_key", finding.alertKey());
        json.put("type", finding.type().type());
        json.put("severity", finding.severity().wireName());
        json.put("summary", finding.summary());
        json.put("root_cause", finding.rootCause().toJson());
        json.put("entities", finding.entities());
        json.put("entity_count", finding.entities().size());
        json.put("since", finding.since().toString());
        json.put("details", finding.details());
        return json;
    }

    public static Map<String, Object> alert(OpenAlert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("alert_key", alert.alertKey());
        json.put("type", alert.type().type());
        json.put("check", alert.check());
        json.put("correlation_id", alert.correlationId());
        json.put("opened_at", alert.openedAt().toString());
        json.put("last_sent_at", alert.lastSentAt().toString());
        json.put("entities", alert.entities());
        return json;
    }

    public static List<Map<String, Object>> alerts(List<OpenAlert> alerts) {
        return alerts.stream().map(ReportJson::alert).toList();
    }

    /**
     * An open alert as {@code GET /alerts} and {@code alerts --json} show it: the stored alert, what it says, and whether a
     * silence covers it ({@code silenced}: the first covering silence's id and end), its events are withheld ({@code held}:
     * why and since when) or an operator acknowledged it.
     */
    public static Map<String, Object> listed(AlertListing.Listed listed) {
        Map<String, Object> json = alert(listed.alert());
        json.put("severity", listed.severity().wireName());
        json.put("summary", listed.summary());
        json.put("since", listed.since().toString());
        json.put("details", new java.util.TreeMap<>(listed.details()));
        json.put("silenced", listed.silencedBy().isEmpty() ? null
                : Map.of("silence_id", listed.silencedBy().get(0).id(), "until", listed.silencedBy().get(0).endsAt().toString()));
        json.put("held", listed.withheld().map(w -> (Object) Map.of("reason", AlertListing.reasonName(w.reason()), "since", w.since().toString()))
                .orElse(null));
        json.put("acknowledged", listed.acknowledged());
        return json;
    }
}
