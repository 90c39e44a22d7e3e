package dev.hadiag.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.store.CheckStatus;
import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latest reports of a running agent, read from its {@code GET /reports}: {@code check --agent} prints them as a
 * plugin would, at the cost of one local HTTP request and no call to Home Assistant.
 */
final class AgentReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Latest(List<CheckReport> reports, int openAlerts) {
    }

    private AgentReports() {
    }

    /** @throws UsageException when the agent cannot be reached or answers something else than its reports */
    static Latest fetch(String agentUrl) {
        URI uri;
        try {
            uri = URI.create(agentUrl.replaceAll("/+$", "") + "/reports");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--agent: not a URL: " + agentUrl);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new UsageException("--agent: expected the agent's http:// URL, e.g. http://127.0.0.1:8087");
        }
        // HttpURLConnection, not java.net.http: a plugin run is one short request, and the newer client's set-up
        // (its selector thread, the TLS context) cost more CPU than the rest of the run (docs/performance.md).
        byte[] answer;
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new UsageException("the agent answered HTTP " + status + " to GET /reports");
            }
            try (InputStream in = connection.getInputStream()) {
                answer = in.readNBytes(16 * 1024 * 1024);
            }
        } catch (IOException e) {
            throw new UsageException("cannot reach the agent at " + uri.getScheme() + "://" + uri.getAuthority() + ": "
                    + e.getClass().getSimpleName());
        }
        try {
            JsonNode body = JSON.readTree(answer);
            List<CheckReport> reports = new ArrayList<>();
            for (JsonNode report : body.path("checks")) {
                reports.add(report(report));
            }
            return new Latest(reports, body.path("open_alerts").asInt());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new UsageException("the agent's GET /reports is not what this version reads: " + e.getMessage());
        }
    }

    private static CheckReport report(JsonNode json) {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode finding : json.path("findings")) {
            JsonNode cause = finding.path("root_cause");
            List<String> entities = new ArrayList<>();
            finding.path("entities").forEach(entity -> entities.add(entity.asText()));
            findings.add(new Finding(AlertType.fromType(finding.path("type").asText()).orElseThrow(
                    () -> new IllegalArgumentException("unknown finding type " + finding.path("type").asText())),
                    Severity.valueOf(finding.path("severity").asText().toUpperCase(Locale.ROOT)),
                    new RootCause(RootCause.Kind.fromWire(cause.path("kind").asText()), cause.path("id").asText(), cause.path("name").asText()),
                    finding.path("summary").asText(), entities, Instant.parse(finding.path("since").asText()), Map.of()));
        }
        Map<String, Long> measures = new HashMap<>();
        json.path("measures").fields().forEachRemaining(measure -> measures.put(measure.getKey(), measure.getValue().asLong()));
        return new CheckReport(json.path("name").asText(), CheckStatus.valueOf(json.path("status").asText().toUpperCase(Locale.ROOT)),
                json.path("reason").asText(), json.path("note").asText(), findings, Instant.parse(json.path("started_at").asText()),
                Duration.ofMillis(json.path("duration_ms").asLong()), json.path("events_emitted").asInt(), measures);
    }
}
