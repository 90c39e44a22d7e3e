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
 * plugin would, at the cost of one local HTTP request and no call to Home Assistant. With {@code --trigger}, the
 * agent runs the named checks now ({@code POST /trigger/NAME}) and their fresh reports are printed instead: the
 * image has no curl or wget, so this is how a {@code docker exec} reaches {@code /trigger} from the container's
 * own loopback.
 */
final class AgentReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Latest(List<CheckReport> reports, int openAlerts) {
    }

    private AgentReports() {
    }

    /** @throws UsageException when the agent cannot be reached or answers something else than its reports */
    static Latest fetch(String agentUrl) {
        byte[] answer = request(agentUrl, "GET", "/reports", "");
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

    /**
     * Runs {@code check} in the agent now and returns its report; {@code apiToken} is sent as the bearer token the
     * agent wants when {@code HA_DIAG_API_TOKEN} is set (empty: none is sent).
     *
     * @throws UsageException when the agent cannot be reached, refuses the trigger or does not know the check
     */
    static CheckReport trigger(String agentUrl, String check, String apiToken) {
        byte[] answer = request(agentUrl, "POST", "/trigger/" + check, apiToken);
        try {
            return report(JSON.readTree(answer));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new UsageException("the agent's POST /trigger/" + check + " is not what this version reads: " + e.getMessage());
        }
    }

    private static byte[] request(String agentUrl, String method, String path, String apiToken) {
        URI uri;
        try {
            uri = URI.create(agentUrl.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--agent: not a URL: " + agentUrl);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new UsageException("--agent: expected the agent's http:// URL, e.g. http://127.0.0.1:8087");
        }
        // HttpURLConnection, not java.net.http: a plugin run is one short request, and the newer client's set-up
        // (its selector thread, the TLS context) cost more CPU than the rest of the run (docs/performance.md).
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(5_000);
            // A trigger waits for the check's run (and for a run already under way): HA's request timeout bounds each.
            connection.setReadTimeout("POST".equals(method) ? 120_000 : 10_000);
            connection.setRequestMethod(method);
            if (!apiToken.isEmpty()) {
                connection.setRequestProperty("Authorization", "Bearer " + apiToken);
            }
            if ("POST".equals(method)) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(0);
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new UsageException(refusal(method, path, status, connection, !apiToken.isEmpty()));
            }
            try (InputStream in = connection.getInputStream()) {
                return in.readNBytes(16 * 1024 * 1024);
            }
        } catch (IOException e) {
            throw new UsageException("cannot reach the agent at " + uri.getScheme() + "://" + uri.getAuthority() + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** Why the agent said no, in its own words where it gave them ({@code {"error": …}}). */
    private static String refusal(String method, String path, int status, HttpURLConnection connection, boolean sentToken) {
        String error = "";
        try (InputStream in = connection.getErrorStream()) {
            if (in != null) {
                error = JSON.readTree(in.readNBytes(64 * 1024)).path("error").asText("");
            }
        } catch (IOException | RuntimeException unreadable) {
            // the status alone then
        }
        String hint = status == 401 && !sentToken ? " (set HA_DIAG_API_TOKEN to the agent's API token)" : "";
        return "the agent answered HTTP " + status + " to " + method + " " + path + (error.isEmpty() ? "" : ": " + error) + hint;
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
