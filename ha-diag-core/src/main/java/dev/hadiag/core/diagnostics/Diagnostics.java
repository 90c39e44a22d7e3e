package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.CheckContext;
import dev.hadiag.core.check.CheckNames;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The agent's use case: runs checks against HA, passes what they find through the alert lifecycle, writes
 * the resulting events and records the history; feeds the live connection's signals to the WebSocket
 * watchdog and raises its alerts. Thread-safe: two runs of one check never overlap (a second caller waits
 * for the first), runs of different checks may, and every alert decision is made under one lock so that
 * the watchdog and the checks agree on who owns an alert.
 *
 * <p>While the last heartbeat found HA unreachable (and the live connection is not up), every other check is
 * skipped without asking HA: HA down is one alert, not seven. Once HA rejects the token on any path (the
 * heartbeat, any other check's REST or WebSocket call, or the live connection's {@code auth_invalid}), every
 * check, the heartbeat included, is skipped until {@code authRetry} has passed or the live connection has
 * authenticated again: every rejected attempt makes HA notify its users of a failed login.
 */
public final class Diagnostics {

    private static final System.Logger LOG = System.getLogger(Diagnostics.class.getName());

    /** The "check" that owns the watchdog's alerts. */
    public static final String WEBSOCKET = "websocket";

    /** How long check runs and resolved alerts are kept by default. */
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);

    static final String WEBSOCKET_DEAD_KEY = AlertType.WEBSOCKET_DEAD.type() + ":" + RootCause.HOME_ASSISTANT.key();
    static final String AUTH_FAILED_KEY = AlertType.AUTH_FAILED.type() + ":" + RootCause.HOME_ASSISTANT.key();

    private final HomeAssistant ha;
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> runLocks = new ConcurrentHashMap<>();
    private final Map<String, CheckReport> lastReports = new ConcurrentHashMap<>();
    private final DiagnosticStore store;
    private final EventSink sink;
    private final AlertLifecycle lifecycle;
    private final AlertEvents events;
    private final WebSocketWatchdog watchdog;
    private final Clock clock;
    private final Supplier<String> correlationIds;
    private final Duration authRetry;
    private final ReentrantLock alertLock = new ReentrantLock();
    /** What the last completed heartbeat found ({@code WEBSOCKET_DEAD} or {@code AUTH_FAILED}), or null: all well. */
    private volatile AlertType heartbeatProblem;
    private volatile Instant tokenRejectedAt;
    /** Silences (issue #16), or null: every event is written. */
    private final SilenceGate silences;

    public Diagnostics(HomeAssistant ha, List<Check> checks, DiagnosticStore store, EventSink sink, AlertLifecycle lifecycle,
            AlertEvents events, WebSocketWatchdog.Settings watchdogSettings, Duration authRetry, Clock clock,
            Supplier<String> correlationIds) {
        this(ha, checks, store, sink, lifecycle, events, watchdogSettings, authRetry, clock, correlationIds, null);
    }

    /** @param silences what holds back the events of silenced alerts, or null for none */
    public Diagnostics(HomeAssistant ha, List<Check> checks, DiagnosticStore store, EventSink sink, AlertLifecycle lifecycle,
            AlertEvents events, WebSocketWatchdog.Settings watchdogSettings, Duration authRetry, Clock clock,
            Supplier<String> correlationIds, SilenceGate silences) {
        this.silences = silences;
        this.ha = ha;
        for (Check check : checks) {
            if (this.checks.putIfAbsent(check.name(), check) != null) {
                throw new IllegalArgumentException("two checks named " + check.name());
            }
            runLocks.put(check.name(), new ReentrantLock());
        }
        this.store = store;
        this.sink = sink;
        this.lifecycle = lifecycle;
        this.events = events;
        this.clock = clock;
        this.correlationIds = correlationIds;
        this.authRetry = authRetry;
        this.watchdog = new WebSocketWatchdog(watchdogSettings, clock.instant(), store.openAlert(WEBSOCKET_DEAD_KEY).isPresent(),
                store.openAlert(AUTH_FAILED_KEY).isPresent());
    }

    /** The configured checks, in the spec's order. */
    public List<String> checkNames() {
        List<String> names = new ArrayList<>(checks.keySet());
        names.sort((a, b) -> Integer.compare(order(a), order(b)));
        return List.copyOf(names);
    }

    /** The latest report of each check that has run in this process. */
    public Map<String, CheckReport> lastReports() {
        return Map.copyOf(lastReports);
    }

    public boolean isWebSocketConnected() {
        return watchdog.isConnected();
    }

    /**
     * Runs one check now and applies what it found. Never throws for HA's or the store's faults: they make
     * a skipped or failed report.
     *
     * @throws UnknownCheckException when no check has that name
     */
    public CheckReport run(String name) {
        Check check = checks.get(name);
        if (check == null) {
            throw new UnknownCheckException(name, checkNames());
        }
        ReentrantLock lock = runLocks.get(name);
        lock.lock();
        try {
            Instant started = clock.instant();
            long t0 = System.nanoTime();
            CheckOutcome outcome = gate(check, started).orElseGet(() -> execute(check, started));
            int emitted = 0;
            if (outcome instanceof CheckOutcome.Completed completed) {
                if (check.name().equals(CheckNames.HEARTBEAT)) {
                    noteHeartbeat(completed, started);
                }
                try {
                    emitted = publish(check.name(), completed, started);
                } catch (EventSinkException | DiagnosticStoreException e) {
                    LOG.log(Level.ERROR, "check " + name + ": could not record what it found: " + e.getMessage(), e);
                    outcome = new CheckOutcome.Failed("could not record what it found: " + e.getMessage());
                }
            }
            CheckReport report = report(name, outcome, started, Duration.ofNanos(System.nanoTime() - t0), emitted);
            lastReports.put(name, report);
            recordRun(report);
            return report;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes check runs and resolved alerts older than {@code retention} (open alerts are always kept).
     * The agent calls it once a day; failures are logged, never thrown: history is not worth a crash.
     */
    public void pruneHistory(Duration retention) {
        try {
            store.pruneHistory(clock.instant().minus(retention));
            if (silences != null) {
                silences.prune(clock.instant().minus(retention));
            }
        } catch (DiagnosticStoreException e) {
            LOG.log(Level.WARNING, "could not prune the history: " + e.getMessage());
        }
    }

    /** Hands a signal of the live connection to the watchdog and raises or resolves what it decides. */
    public void onLiveSignal(LiveSignal signal) {
        apply(watchdog.onSignal(signal));
    }

    /** Lets the watchdog see time pass: call it often (every second, or at {@link #nextWatchdogDeadline()}). */
    public void tick() {
        apply(watchdog.tick(clock.instant()));
    }

    // --- silences (issue #16) ---

    /**
     * Lets the silences see time pass and changes made elsewhere (the CLI, the API, HA's maintenance entity): writes
     * their start and end events and the held openings no silence covers any more. Call it every second, off the
     * watchdog's thread: reading the maintenance entity asks HA. Failures are logged, never thrown.
     */
    public void pollSilences() {
        if (silences == null) {
            return;
        }
        silences.observeMaintenance(clock.instant()); // outside the lock: HA may take its request timeout to answer
        applySilences();
    }

    /** {@link #pollSilences()} without asking HA: for a silence just added or expired (the API's answer waits for it). */
    public void applySilences() {
        if (silences == null) {
            return;
        }
        alertLock.lock();
        try {
            silences.poll(clock.instant());
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "silences: " + e.getMessage(), e);
        } finally {
            alertLock.unlock();
        }
    }

    /** Whether HA's maintenance entity is on (every alert silenced), as last seen. */
    public boolean maintenanceActive() {
        return silences != null && silences.maintenance().isActive();
    }

    public Optional<Instant> nextWatchdogDeadline() {
        return watchdog.nextDeadline();
    }

    private Optional<CheckOutcome> gate(Check check, Instant now) {
        Instant rejected = tokenRejectedAt;
        if (rejected != null && now.isBefore(rejected.plus(authRetry))) {
            return Optional.of(new CheckOutcome.Skipped("Home Assistant rejected the token at " + rejected
                    + "; not trying again before " + rejected.plus(authRetry)));
        }
        if (check.name().equals(CheckNames.HEARTBEAT)) {
            return Optional.empty(); // the auth retry: the heartbeat alone tries the token again
        }
        if (heartbeatProblem == AlertType.AUTH_FAILED) {
            return Optional.of(new CheckOutcome.Skipped("Home Assistant rejects the token"));
        }
        if (heartbeatProblem == AlertType.WEBSOCKET_DEAD && !watchdog.isConnected()) {
            return Optional.of(new CheckOutcome.Skipped("Home Assistant unreachable"));
        }
        return Optional.empty();
    }

    private CheckOutcome execute(Check check, Instant now) {
        try {
            if (check.needsRunningHa()) {
                HaConfig config = ha.config();
                if (config.state().isStarting()) {
                    return new CheckOutcome.Skipped("Home Assistant is starting (core state " + config.state() + ")");
                }
            }
            return check.run(ha, CheckContext.at(now, watchdog.upSince()));
        } catch (HaUnreachableException e) {
            return new CheckOutcome.Skipped("Home Assistant unreachable: " + e.getMessage());
        } catch (HaUnauthorizedException e) {
            tokenRejected(check.name(), e.getMessage(), now);
            return new CheckOutcome.Skipped("Home Assistant rejects the token: " + e.getMessage());
        } catch (HaProtocolException e) {
            return new CheckOutcome.Failed("Home Assistant's answer could not be used: " + e.getMessage());
        } catch (DiagnosticStoreException e) {
            return new CheckOutcome.Failed("state store: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "check " + check.name() + " failed unexpectedly", e);
            return new CheckOutcome.Failed("internal error: " + e);
        }
    }

    /**
     * Any path saw the token rejected: stop every call to HA until the auth retry, and open
     * {@code ha_auth_failed} now (owned by the heartbeat, whose successful retry resolves it), unless the
     * heartbeat or the watchdog has it open already.
     */
    private void tokenRejected(String check, String message, Instant at) {
        tokenRejectedAt = at;
        heartbeatProblem = AlertType.AUTH_FAILED;
        alertLock.lock();
        try {
            open(new Finding(AlertType.AUTH_FAILED, Severity.ERROR, RootCause.HOME_ASSISTANT,
                    "Home Assistant rejects the agent's token: " + message, List.of(), at,
                    Map.of("error", message, "detected_by", check)), at, CheckNames.HEARTBEAT);
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "could not record the rejected token: " + e.getMessage(), e);
        } finally {
            alertLock.unlock();
        }
    }

    private void noteHeartbeat(CheckOutcome.Completed outcome, Instant at) {
        AlertType problem = outcome.findings().stream().map(Finding::type).findFirst().orElse(null);
        heartbeatProblem = problem;
        tokenRejectedAt = problem == AlertType.AUTH_FAILED ? at : null;
    }

    private int publish(String check, CheckOutcome.Completed outcome, Instant now) {
        alertLock.lock();
        try {
            return lifecycle.apply(check, outcome.findings(), outcome.otherChecksCauses(), now,
                    decision -> emit(check, decision, now)).size();
        } finally {
            alertLock.unlock();
        }
    }

    private void apply(List<WebSocketWatchdog.Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return;
        }
        alertLock.lock();
        try {
            for (WebSocketWatchdog.Verdict verdict : verdicts) {
                if (verdict instanceof WebSocketWatchdog.Verdict.Dead dead) {
                    open(new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT,
                            "Home Assistant's WebSocket is dead: " + dead.reason(), List.of(), dead.since(),
                            Map.of("reason", dead.reason(), "detected_by", WEBSOCKET)), dead.at(), WEBSOCKET);
                } else if (verdict instanceof WebSocketWatchdog.Verdict.Recovered recovered) {
                    resolve(WEBSOCKET_DEAD_KEY, recovered.at());
                } else if (verdict instanceof WebSocketWatchdog.Verdict.AuthFailed failed) {
                    // The REST calls use the same token: stop them too until the retry.
                    tokenRejectedAt = failed.at();
                    heartbeatProblem = AlertType.AUTH_FAILED;
                    open(new Finding(AlertType.AUTH_FAILED, Severity.ERROR, RootCause.HOME_ASSISTANT,
                            "Home Assistant rejects the agent's token: " + failed.message(), List.of(), failed.at(),
                            Map.of("error", failed.message(), "detected_by", WEBSOCKET)), failed.at(), WEBSOCKET);
                } else if (verdict instanceof WebSocketWatchdog.Verdict.AuthRecovered recovered) {
                    tokenRejectedAt = null;
                    if (heartbeatProblem == AlertType.AUTH_FAILED) {
                        heartbeatProblem = null;
                    }
                    resolve(AUTH_FAILED_KEY, recovered.at());
                }
            }
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "could not record a WebSocket watchdog verdict: " + e.getMessage(), e);
        } finally {
            alertLock.unlock();
        }
    }

    // The watchdog and the heartbeat share these alerts: whoever sees it first opens it, once. Intent first,
    // as in the lifecycle, so a crash between the write and the record neither loses nor doubles the incident.
    private void open(Finding finding, Instant at, String owner) {
        if (store.openAlert(finding.alertKey()).isPresent()) {
            return;
        }
        String correlationId = AlertLifecycle.reservedCorrelationId(store.intents(), finding.alertKey()).orElseGet(correlationIds);
        AlertIntent intent = new AlertIntent(AlertIntent.Kind.OPEN,
                new OpenAlert(finding.alertKey(), owner, finding.type(), correlationId, at, at, List.of()), at, "");
        store.recordIntents(List.of(intent));
        emit(owner, new AlertDecision.Open(finding, correlationId), at);
        store.markSent(intent);
    }

    private void resolve(String alertKey, Instant at) {
        Optional<OpenAlert> open = store.openAlert(alertKey);
        if (open.isPresent()) {
            AlertIntent intent = new AlertIntent(AlertIntent.Kind.RESOLVE, open.get(), at, "");
            store.recordIntents(List.of(intent));
            emit(open.get().check(), new AlertDecision.Resolve(open.get(), Optional.empty()), at);
            store.markSent(intent);
        }
    }

    private void emit(String check, AlertDecision decision, Instant at) {
        if (silences != null && silences.withhold(check, decision, at)) {
            return;
        }
        sink.emit(events.toEvent(check, decision, at));
        LOG.log(Level.DEBUG, "{0} {1} ({2})", decision.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT),
                decision.alertKey(), check);
    }

    private static CheckReport report(String name, CheckOutcome outcome, Instant started, Duration took, int emitted) {
        if (outcome instanceof CheckOutcome.Completed completed) {
            CheckReport.Status status = CheckReport.Status.of(completed.findings());
            // An error says why (HA answering 500, a stalled answer): /health shows only the reason.
            String reason = status == CheckReport.Status.ERROR ? completed.findings().stream()
                    .filter(f -> f.severity() == Severity.ERROR || f.severity() == Severity.CRITICAL)
                    .map(Finding::summary).findFirst().orElse("") : "";
            return new CheckReport(name, status, reason, completed.note(), completed.findings(), started, took, emitted,
                    completed.measures());
        }
        if (outcome instanceof CheckOutcome.Skipped skipped) {
            return new CheckReport(name, CheckReport.Status.SKIPPED, skipped.reason(), "", List.of(), started, took, emitted);
        }
        CheckOutcome.Failed failed = (CheckOutcome.Failed) outcome;
        return new CheckReport(name, CheckReport.Status.FAILED, failed.reason(), "", List.of(), started, took, emitted);
    }

    private void recordRun(CheckReport report) {
        try {
            store.recordCheckRun(new CheckRun(report.check(), report.startedAt(), report.duration(), report.status().wire(),
                    report.findings().size(), report.reason()));
        } catch (DiagnosticStoreException e) {
            LOG.log(Level.WARNING, "could not record the run of " + report.check() + " in the history: " + e.getMessage());
        }
    }

    private static int order(String name) {
        int index = CheckNames.ALL.indexOf(name);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
