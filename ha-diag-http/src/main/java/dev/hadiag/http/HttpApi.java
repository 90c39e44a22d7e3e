package dev.hadiag.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hadiag.core.diagnostics.AlertListing;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.ReportJson;
import dev.hadiag.core.diagnostics.UnknownCheckException;
import dev.hadiag.core.silence.InvalidSilenceException;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceJson;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent's HTTP API: {@code GET /health}, {@code POST /trigger/{check}}, {@code GET /checks},
 * {@code GET /alerts}, {@code GET /metrics}, {@code GET/POST /silences}, {@code DELETE /silences/{id}}. Every answer but the metrics is JSON, errors included; nothing
 * a client sends can do more than get an error back.
 */
public final class HttpApi implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** Only {@code POST /silences} reads a body (a few hundred bytes); this caps every body. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** How many {@code POST /trigger} callers may wait for a run at once; more get 429 at once. */
    static final int MAX_WAITING_TRIGGERS = 64;
    /** Loopback is the one network that reaches only this host. */
    static final Predicate<InetAddress> LOOPBACK = InetAddress::isLoopbackAddress;

    private final Javalin server;
    private final AgentView agent;
    private final byte[] apiToken;
    private final boolean remoteTriggerAllowed;
    private final Predicate<InetAddress> local;
    private final TriggerQueue triggers;
    private final int maxWaitingTriggers;
    private final Clock clock;
    private final Instant startedAt;
    private final StatusPage statusPage;
    private volatile boolean started;

    /** Configures the server; nothing listens until {@link #start}. */
    private HttpApi(Builder builder) {
        this.agent = builder.agent;
        this.apiToken = builder.apiToken.isEmpty() ? null : builder.apiToken.getBytes(StandardCharsets.UTF_8);
        this.remoteTriggerAllowed = builder.remoteTriggerAllowed;
        this.local = builder.local;
        this.maxWaitingTriggers = builder.maxWaitingTriggers;
        this.triggers = new TriggerQueue(agent::trigger, maxWaitingTriggers);
        this.clock = builder.clock;
        this.startedAt = clock.instant();
        this.statusPage = new StatusPage(agent);
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // GET /trigger/heartbeat is a wrong method on an endpoint that exists, not a missing endpoint.
            config.http.prefer405over404 = true;
            // A small agent answers a handful of clients: a small pool keeps the idle footprint small. Triggers
            // wait off these threads (TriggerQueue), so the pool only ever parses requests and writes answers.
            config.jetty.threadPool = new QueuedThreadPool(8, 2);
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JsonErrorHandler()));
            config.routes.get("/", this::statusPage);
            config.routes.get("/status.css", ctx -> asset(ctx, "status.css", "text/css; charset=utf-8"));
            config.routes.get("/status.js", ctx -> asset(ctx, "status.js", "text/javascript; charset=utf-8"));
            config.routes.get("/health", this::health);
            config.routes.post("/trigger/{check}", this::trigger);
            config.routes.get("/checks", this::checks);
            config.routes.get("/reports", this::reports);
            config.routes.get("/alerts", this::alerts);
            config.routes.post("/alerts/{correlation_id}/acknowledge", this::acknowledge);
            config.routes.post("/alerts/{correlation_id}/silence", this::silenceAlert);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/silences", this::silences);
            config.routes.post("/silences", this::addSilence);
            config.routes.delete("/silences/{id}", this::expireSilence);
            // Javalin's own answers (a body over the cap is its 413) would be text/plain: every answer is JSON.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
                    error(ctx, HttpStatus.CONTENT_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes", Map.of());
                } else if (e.getStatus() == HttpStatus.NOT_FOUND.getCode() || e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
                    ctx.status(e.getStatus()); // the error handlers below answer these, naming the endpoints
                } else {
                    error(ctx, HttpStatus.forStatus(e.getStatus()), e.getMessage(), Map.of());
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.log(Level.ERROR, "HTTP " + ctx.method() + " " + ctx.path() + " failed", e);
                error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName(), Map.of());
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                    error(ctx, HttpStatus.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path(),
                            Map.of("endpoints", List.of("GET /", "GET /health", "POST /trigger/{check}", "GET /checks", "GET /reports",
                                    "GET /alerts", "POST /alerts/{correlation_id}/acknowledge",
                                    "POST /alerts/{correlation_id}/silence", "GET /metrics", "GET /silences", "POST /silences", "DELETE /silences/{id}")));
                }
            });
            config.routes.error(405, ctx -> error(ctx, HttpStatus.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path(), Map.of()));
        });
    }

    /**
     * An API over {@code agent}, configured by the builder and started with {@link #start}: {@code /trigger} answers only
     * loopback clients unless an API token is given or remote triggers are allowed.
     *
     * @param clock the agent's clock: uptime and the status page's times
     */
    public static Builder builder(AgentView agent, Clock clock) {
        return new Builder(agent, clock);
    }

    /**
     * Starts serving on {@code bind:port} (port 0: any free port) and returns the port it listens on.
     *
     * @throws IllegalStateException when it was started before
     */
    public synchronized int start(String bind, int port) {
        if (started) {
            throw new IllegalStateException("the HTTP API is started already, on port " + server.port());
        }
        try {
            server.start(bind, port);
        } catch (RuntimeException e) {
            triggers.close();
            throw e;
        }
        started = true;
        if (apiToken == null && !remoteTriggerAllowed) {
            LOG.log(Level.INFO, "POST /trigger answers loopback clients only: set HA_DIAG_API_TOKEN to allow other hosts");
        }
        return server.port();
    }

    /**
     * The status page, the one answer that is HTML. Its content security policy allows this agent's own CSS, script
     * and fetches only (and style attributes, which place the timeline's bars): nothing the page does can reach
     * beyond the agent.
     */
    private void statusPage(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
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

    /** The port it listens on, once {@link #start started}. */
    public int port() {
        if (!started) {
            throw new IllegalStateException("the HTTP API is not started");
        }
        return server.port();
    }

    /** How many trigger callers wait for a run now (for tests). */
    int waitingTriggers() {
        return triggers.waiting();
    }

    /** Stops serving, when it started; waiting triggers get their answer first. */
    @Override
    public synchronized void close() {
        if (started) {
            server.stop();
        }
        triggers.close();
    }

    /** Everything but the agent and the clock has a default: no token, loopback-only triggers. */
    public static final class Builder {
        private final AgentView agent;
        private final Clock clock;
        private String apiToken = "";
        private boolean remoteTriggerAllowed;
        private Predicate<InetAddress> local = LOOPBACK;
        private int maxWaitingTriggers = MAX_WAITING_TRIGGERS;

        private Builder(AgentView agent, Clock clock) {
            this.agent = java.util.Objects.requireNonNull(agent);
            this.clock = java.util.Objects.requireNonNull(clock);
        }

        /** When not empty, every endpoint that changes something requires {@code Authorization: Bearer <token>} from every client. */
        public Builder apiToken(String token) {
            this.apiToken = token == null ? "" : token.trim();
            return this;
        }

        /** Without a token: whether {@code /trigger} answers clients that are not on loopback (false: they get 403). */
        public Builder remoteTriggerAllowed(boolean allowed) {
            this.remoteTriggerAllowed = allowed;
            return this;
        }

        /** Which clients count as this host (tests: a predicate other than loopback). */
        Builder localClients(Predicate<InetAddress> local) {
            this.local = java.util.Objects.requireNonNull(local);
            return this;
        }

        /** How many trigger callers may wait at once (tests: a small number). */
        Builder maxWaitingTriggers(int max) {
            this.maxWaitingTriggers = max;
            return this;
        }

        public HttpApi build() {
            return new HttpApi(this);
        }
    }

    private void health(Context ctx) {
        List<AgentView.Problem> problems = agent.problems();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "ok" : "failing");
        if (!problems.isEmpty()) {
            body.put("problems", problems.stream().map(problem -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("component", problem.component());
                entry.put("reason", problem.reason());
                entry.put("since", problem.since().toString());
                return entry;
            }).toList());
        }
        body.put("ws_connected", agent.webSocketConnected());
        body.put("ha_reachable", agent.haReachable().orElse(null));
        body.put("node", agent.node());
        body.put("version", agent.version());
        body.put("uptime_s", Duration.between(startedAt, clock.instant()).toSeconds());
        body.put("checks", inCheckOrder(agent.lastReports()));
        // 503 while failing: monitors that look only at the status code see it too.
        json(ctx, problems.isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    /**
     * The rule of every endpoint that changes something: with an API token, the token; without, loopback clients only
     * (unless remote triggers are allowed). Answers the refusal itself.
     */
    private boolean refused(Context ctx, String endpoint) {
        if (apiToken != null && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, HttpStatus.UNAUTHORIZED, "this endpoint needs Authorization: Bearer <HA_DIAG_API_TOKEN>", Map.of());
            return true;
        }
        if (apiToken == null && !remoteTriggerAllowed && !fromLocalClient(ctx)) {
            error(ctx, HttpStatus.FORBIDDEN, endpoint + " answers only this host (loopback) unless HA_DIAG_API_TOKEN is set "
                    + "(or HA_DIAG_ALLOW_REMOTE_TRIGGER=true)", Map.of());
            return true;
        }
        return false;
    }

    private void trigger(Context ctx) {
        if (refused(ctx, "POST /trigger")) {
            return;
        }
        String name = ctx.pathParam("check");
        Optional<CompletableFuture<CheckReport>> report = triggers.submit(name);
        if (report.isEmpty()) {
            ctx.header("Retry-After", "1");
            error(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many triggers waiting; try again in a second",
                    Map.of("max_waiting", maxWaitingTriggers));
            return;
        }
        ctx.future(() -> report.get().handle((done, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
                json(ctx, HttpStatus.OK, ReportJson.report(done));
            } else if (cause instanceof UnknownCheckException unknown) {
                error(ctx, HttpStatus.NOT_FOUND, "unknown check", Map.of("valid_checks", unknown.validNames()));
            } else if (cause instanceof AgentView.NotReadyException notReady) {
                ctx.header("Retry-After", "1");
                error(ctx, HttpStatus.SERVICE_UNAVAILABLE, notReady.getMessage(), Map.of());
            } else {
                LOG.log(Level.ERROR, "HTTP POST /trigger/" + name + " failed", cause);
                error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + cause.getClass().getSimpleName(), Map.of());
            }
            return done;
        }));
    }

    /** Headers a reverse proxy adds (tailscale serve, nginx, Caddy): the client behind it is not this host. */
    static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP", "Tailscale-User-Login");

    private boolean fromLocalClient(Context ctx) {
        // A proxy on this host (tailscale serve to 127.0.0.1:8087) makes every tailnet client a loopback peer. A header
        // only ever makes a request less trusted, so a client that forges one only locks itself out.
        if (PROXY_HEADERS.stream().anyMatch(header -> ctx.header(header) != null)) {
            return false;
        }
        try {
            // getRemoteAddr is the socket's peer as a literal: no name lookup, and no header a client can forge.
            return local.test(InetAddress.getByName(ctx.req().getRemoteAddr()));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The last run of each check in the order {@code /checks} lists them (reports of checks it does not list after them,
     * by name): the reports come from a concurrent map, whose order changes from one answer to the next.
     */
    private Map<String, Object> inCheckOrder(Map<String, CheckReport> reports) {
        Map<String, Object> checks = new LinkedHashMap<>();
        for (AgentView.CheckInfo check : agent.checks()) {
            CheckReport report = reports.get(check.name());
            if (report != null) {
                checks.put(check.name(), lastRun(report));
            }
        }
        reports.keySet().stream().filter(name -> !checks.containsKey(name)).sorted()
                .forEach(name -> checks.put(name, lastRun(reports.get(name))));
        return checks;
    }

    private void checks(Context ctx) {
        Map<String, CheckReport> last = agent.lastReports();
        json(ctx, HttpStatus.OK, Map.of("checks", agent.checks().stream().map(check -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", check.name());
            entry.put("enabled", check.enabled());
            entry.put("interval_s", check.interval().toSeconds());
            entry.put("live", check.live());
            entry.put("last_run", last.containsKey(check.name()) ? lastRun(last.get(check.name())) : null);
            return entry;
        }).toList()));
    }

    /** The last report of each enabled check, whole (the {@code check --json} shape): what {@code check --agent} reads. */
    private void reports(Context ctx) {
        Map<String, CheckReport> last = agent.lastReports();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("checks", agent.checks().stream().filter(AgentView.CheckInfo::enabled).filter(check -> last.containsKey(check.name()))
                .map(check -> ReportJson.report(last.get(check.name()))).toList());
        body.put("open_alerts", agent.openAlerts().size());
        json(ctx, HttpStatus.OK, body);
    }

    private void alerts(Context ctx) {
        json(ctx, HttpStatus.OK, Map.of("alerts", AlertRoutes.listed(agent, clock.instant()).stream().map(ReportJson::listed).toList()));
    }

    /** The open alert of the path's correlation id, for a caller allowed to act on it; empty once the answer is sent. */
    private Optional<OpenAlert> openAlertOf(Context ctx, String route) {
        if (refused(ctx, route)) {
            return Optional.empty();
        }
        String correlationId = ctx.pathParam("correlation_id");
        Optional<OpenAlert> alert = AlertRoutes.byCorrelationId(agent, correlationId);
        if (alert.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no open alert with correlation id " + correlationId, Map.of());
        }
        return alert;
    }

    /** Acknowledges the open alert of a correlation id: who may, as {@code POST /trigger}. */
    private void acknowledge(Context ctx) {
        Optional<OpenAlert> alert = openAlertOf(ctx, "POST /alerts/{correlation_id}/acknowledge");
        if (alert.isEmpty()) {
            return;
        }
        String correlationId = alert.get().correlationId();
        Optional<Withheld> record;
        try {
            record = agent.acknowledge(alert.get().alertKey());
        } catch (AgentView.NotReadyException e) {
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), Map.of());
            return;
        }
        if (record.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no open alert with correlation id " + correlationId + " (it resolved meanwhile)", Map.of());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert_key", alert.get().alertKey());
        body.put("correlation_id", correlationId);
        body.put("acknowledged", record.get().reason() instanceof Withheld.Acknowledged);
        body.put("held", AlertListing.reasonName(record.get().reason()));
        body.put("since", record.get().since().toString());
        if (!record.get().reason().openingWritten()) {
            body.put("note", "its opening was never written (" + AlertListing.reasonName(record.get().reason())
                    + "): there is nothing to acknowledge");
        }
        json(ctx, HttpStatus.OK, body);
    }

    /**
     * Silences the open alert of a correlation id ({@code alert_key} matcher) for {@code ?duration=} (default 1h): what an ntfy
     * action button can call, with no body to build. Who may call it: as {@code POST /trigger}.
     */
    private void silenceAlert(Context ctx) {
        Optional<OpenAlert> alert = openAlertOf(ctx, "POST /alerts/{correlation_id}/silence");
        if (alert.isEmpty()) {
            return;
        }
        String correlationId = alert.get().correlationId();
        String duration = ctx.queryParam("duration") == null ? "1h" : ctx.queryParam("duration");
        NewSilence request;
        try {
            request = NewSilence.lasting(List.of(new dev.hadiag.core.silence.SilenceMatcher(dev.hadiag.core.silence.SilenceField.ALERT_KEY,
                    alert.get().alertKey())), NewSilence.parseDuration(duration), clock.instant(), "silenced from a notification", "api");
        } catch (InvalidSilenceException e) {
            error(ctx, HttpStatus.BAD_REQUEST, e.getMessage(), Map.of("field", "duration"));
            return;
        }
        try {
            json(ctx, HttpStatus.CREATED, SilenceJson.silence(agent.addSilence(request), clock.instant()));
        } catch (AgentView.NotReadyException e) {
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), Map.of());
        }
    }

    // --- silences (issue #16) ---

    private void silences(Context ctx) {
        json(ctx, HttpStatus.OK, Map.of("silences", agent.silences().stream().map(s -> SilenceJson.silence(s, clock.instant())).toList()));
    }

    private void addSilence(Context ctx) {
        if (refused(ctx, "POST /silences")) {
            return;
        }
        NewSilence request;
        try {
            request = SilenceRoutes.parse(ctx.body(), clock.instant());
        } catch (InvalidSilenceException e) {
            error(ctx, HttpStatus.BAD_REQUEST, e.getMessage(), Map.of("field", e.field()));
            return;
        }
        try {
            json(ctx, HttpStatus.CREATED, SilenceJson.silence(agent.addSilence(request), clock.instant()));
        } catch (AgentView.NotReadyException e) {
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), Map.of());
        }
    }

    private void expireSilence(Context ctx) {
        if (refused(ctx, "DELETE /silences")) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            error(ctx, HttpStatus.BAD_REQUEST, "id: '" + ctx.pathParam("id") + "' is not a silence id (a number)", Map.of("field", "id"));
            return;
        }
        Optional<Silence> expired = agent.expireSilence(id);
        if (expired.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "no silence with id " + id, Map.of());
            return;
        }
        json(ctx, HttpStatus.OK, SilenceJson.silence(expired.get(), clock.instant()));
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
