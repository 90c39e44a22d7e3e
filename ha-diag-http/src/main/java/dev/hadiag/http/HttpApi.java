package dev.hadiag.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.ReportJson;
import dev.hadiag.core.diagnostics.UnknownCheckException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent's HTTP API: {@code GET /health}, {@code POST /trigger/{check}}, {@code GET /checks},
 * {@code GET /alerts}, {@code GET /metrics}. Every answer but the metrics is JSON, errors included; nothing
 * a client sends can do more than get an error back.
 */
public final class HttpApi implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Javalin server;
    private final AgentView agent;
    private final byte[] apiToken;
    private final Clock clock;
    private final Instant startedAt;
    private final StatusPage statusPage;

    private HttpApi(AgentView agent, Optional<String> apiToken, Clock clock, String bind, int port) {
        this.agent = agent;
        this.apiToken = apiToken.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.clock = clock;
        this.startedAt = clock.instant();
        this.statusPage = new StatusPage(agent);
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = 64 * 1024;
            // A small agent answers a handful of clients: a small pool keeps the idle footprint small.
            config.jetty.threadPool = new QueuedThreadPool(8, 2);
            config.routes.get("/", this::statusPage);
            config.routes.get("/status.css", ctx -> asset(ctx, "status.css", "text/css; charset=utf-8"));
            config.routes.get("/status.js", ctx -> asset(ctx, "status.js", "text/javascript; charset=utf-8"));
            config.routes.get("/health", this::health);
            config.routes.post("/trigger/{check}", this::trigger);
            config.routes.get("/checks", this::checks);
            config.routes.get("/alerts", this::alerts);
            config.routes.get("/metrics", this::metrics);
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.log(Level.ERROR, "HTTP " + ctx.method() + " " + ctx.path() + " failed", e);
                error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName(), Map.of());
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                    error(ctx, HttpStatus.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path(),
                            Map.of("endpoints", java.util.List.of("GET /", "GET /health", "POST /trigger/{check}", "GET /checks",
                                    "GET /alerts", "GET /metrics")));
                }
            });
            config.routes.error(405, ctx -> error(ctx, HttpStatus.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path(), Map.of()));
        });
        server.start(bind, port);
    }

    /**
     * The status page, the one answer that is HTML. Its content security policy allows this agent's own CSS, script
     * and fetches only: nothing the page does can reach beyond the agent.
     */
    private void statusPage(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
                + "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("text/html; charset=utf-8").result(statusPage.render(clock.instant()));
    }

    private static void asset(Context ctx, String name, String type) throws java.io.IOException {
        try (java.io.InputStream in = HttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException(name);
            }
            ctx.header("Cache-Control", "max-age=3600").header("X-Content-Type-Options", "nosniff").contentType(type).result(in.readAllBytes());
        }
    }

    /**
     * Starts serving on {@code bind:port} (port 0: any free port).
     *
     * @param apiToken when present, {@code /trigger} requires {@code Authorization: Bearer <token>}
     */
    public static HttpApi start(AgentView agent, String bind, int port, Optional<String> apiToken, Clock clock) {
        return new HttpApi(agent, apiToken, clock, bind, port);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("ws_connected", agent.webSocketConnected());
        body.put("ha_reachable", agent.haReachable().orElse(null));
        body.put("node", agent.node());
        body.put("version", agent.version());
        body.put("uptime_s", Duration.between(startedAt, clock.instant()).toSeconds());
        Map<String, Object> checks = new LinkedHashMap<>();
        agent.lastReports().forEach((name, report) -> checks.put(name, lastRun(report)));
        body.put("checks", checks);
        json(ctx, HttpStatus.OK, body);
    }

    private void trigger(Context ctx) {
        if (apiToken != null && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, HttpStatus.UNAUTHORIZED, "this endpoint needs Authorization: Bearer <HA_DIAG_API_TOKEN>", Map.of());
            return;
        }
        String name = ctx.pathParam("check");
        try {
            json(ctx, HttpStatus.OK, ReportJson.report(agent.trigger(name)));
        } catch (UnknownCheckException e) {
            error(ctx, HttpStatus.NOT_FOUND, "unknown check", Map.of("valid_checks", e.validNames()));
        }
    }

    private void checks(Context ctx) {
        Map<String, CheckReport> last = agent.lastReports();
        json(ctx, HttpStatus.OK, Map.of("checks", agent.checks().stream().map(check -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", check.name());
            entry.put("enabled", check.enabled());
            entry.put("interval_s", check.interval().toSeconds());
            entry.put("last_run", last.containsKey(check.name()) ? lastRun(last.get(check.name())) : null);
            return entry;
        }).toList()));
    }

    private void alerts(Context ctx) {
        json(ctx, HttpStatus.OK, Map.of("alerts", ReportJson.alerts(agent.openAlerts())));
    }

    private void metrics(Context ctx) {
        ctx.status(HttpStatus.OK).contentType("text/plain; version=0.0.4; charset=utf-8").result(agent.metrics());
    }

    private static Map<String, Object> lastRun(CheckReport report) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("status", report.status().wire());
        run.put("started_at", report.startedAt().toString());
        run.put("duration_ms", report.duration().toMillis());
        run.put("findings", report.findings().size());
        run.put("reason", report.reason());
        return run;
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(apiToken, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static void error(Context ctx, HttpStatus status, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.putAll(extra);
        json(ctx, status, body);
    }

    private static void json(Context ctx, HttpStatus status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("application/json").result("{\"error\":\"could not write JSON\"}");
        }
    }
}
