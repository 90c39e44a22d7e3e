package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.CorrelationIds;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.EventSinkException;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.Withheld;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's use case: runs checks against HA when the {@link HaAvailabilityGate} lets them, passes what
 * they find through the alert lifecycle and the {@link DeliveryStage}, which writes the events, and records the history; feeds the
 * live connection's signals to the WebSocket watchdog, whose verdicts take the same way. Thread-safe: two
 * runs of one check never overlap (a second caller waits for the first), runs of different checks may.
 * Built with {@link #builder}.
 */
public final class Diagnostics {

    private static final System.Logger LOG = System.getLogger(Diagnostics.class.getName());

    /** The "check" that owns the watchdog's alerts. */
    public static final String WEBSOCKET = "websocket";

    /** How long check runs and resolved alerts are kept by default. */
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);

    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> runLocks = new ConcurrentHashMap<>();
    private final Map<String, CheckReport> lastReports = new ConcurrentHashMap<>();
    private final DiagnosticStore store;
    private final Clock clock;
    private final HaAvailabilityGate gate;
    private final AlertPublisher publisher;
    private final HaAlerts haAlerts;
    private final CheckExecutor executor;
    /** Silences, or null: every event is written. */
    private final SilenceGate silences;

    Diagnostics(DiagnosticsBuilder builder) {
        for (Check check : builder.checks) {
            if (this.checks.putIfAbsent(check.name(), check) != null) {
                throw new IllegalArgumentException("two checks named " + check.name());
            }
            runLocks.put(check.name(), new ReentrantLock());
        }
        this.store = builder.store;
        this.clock = builder.clock;
        this.gate = new HaAvailabilityGate(builder.authRetry);
        DeliveryStage delivery = new DeliveryStage(store, builder.sink, builder.events, builder.stormGuard,
                new CorrelationIds(store, builder.correlationIds), builder.silences == null ? List.of() : List.of(builder.silences));
        this.publisher = new AlertPublisher(new AlertLifecycle(store, builder.alertSettings, builder.correlationIds), store,
                builder.events, delivery, builder.silences);
        this.silences = builder.silences;
        this.haAlerts = new HaAlerts(builder.watchdogSettings, builder.maintenance, clock.instant(), store, gate, publisher,
                builder.correlationIds);
        this.executor = new CheckExecutor(builder.ha, haAlerts);
    }

    /** A builder whose every other setting has a default (see {@link DiagnosticsBuilder}). */
    public static DiagnosticsBuilder builder(HomeAssistant ha, DiagnosticStore store, EventSink sink) {
        return new DiagnosticsBuilder(ha, store, sink);
    }

    /**
     * The configured checks in {@link dev.hadiag.core.check.BuiltInCheck}'s order, so that every list of them (reports,
     * errors, the page) reads the same; checks of other names last.
     */
    public List<String> checkNames() {
        List<String> names = new ArrayList<>(checks.keySet());
        names.sort(Comparator.comparingInt(Diagnostics::order));
        return List.copyOf(names);
    }

    /** The latest report of each check that has run in this process. */
    public Map<String, CheckReport> lastReports() {
        return Map.copyOf(lastReports);
    }

    public boolean isWebSocketConnected() {
        return haAlerts.watchdog().isConnected();
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
            CheckOutcome outcome = gate.closedFor(name, started, haAlerts.watchdog().isConnected(), haAlerts.watchdog().isRestartingAsPlanned())
                    .<CheckOutcome>map(CheckOutcome.Skipped::new)
                    .orElseGet(() -> executor.execute(check, started));
            int emitted = 0;
            if (outcome instanceof CheckOutcome.Completed completed) {
                if (name.equals(BuiltInCheck.HEARTBEAT.wire())) {
                    gate.heartbeatCompleted(completed.findings(), started);
                }
                try {
                    emitted = publisher.completed(name, completed, started);
                } catch (RunNotDelivered e) {
                    LOG.log(Level.ERROR, "check " + name + ": could not record what it found: " + e.getMessage(), e.getCause());
                    outcome = new CheckOutcome.Failed("could not record what it found: " + e.getMessage());
                    emitted = e.written(); // what is on disk, as the metrics count it
                }
            }
            CheckReport report = CheckReport.of(name, outcome, started, Duration.ofNanos(System.nanoTime() - t0), emitted);
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
        haAlerts.onSignal(signal);
    }

    /** Lets the watchdog see time pass: call it often (every second, or at {@link #nextWatchdogDeadline()}). */
    public void tick() {
        haAlerts.tick(clock.instant());
    }

    /**
     * Lets the silences see time pass and changes made elsewhere (the CLI, the API, HA's maintenance entity). Call it
     * when the silences change and at {@link #nextSilenceChange()}, off the watchdog's thread: reading the maintenance entity asks HA. Failures are logged, never thrown.
     */
    public void pollSilences() {
        if (silences != null) {
            silences.observeMaintenance(clock.instant()); // outside the alert lock: HA may take its request timeout to answer
            applySilences();
        }
    }

    /**
     * When {@link #pollSilences()} next has work that time alone brings (a silence's start or end, the maintenance
     * entity's next read); empty when only a change to the silences can bring any, or there are no silences. Failures
     * are logged and answered with {@code now}: poll again rather than never.
     */
    public Optional<Instant> nextSilenceChange() {
        if (silences == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        try {
            return silences.nextChange(now);
        } catch (DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "silences: " + e.getMessage(), e);
            return Optional.of(now);
        }
    }

    /** {@link #pollSilences()} without asking HA: for a silence just added or expired (the API's answer waits for it). */
    public void applySilences() {
        try {
            publisher.applySilences(clock.instant());
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "silences: " + e.getMessage(), e);
        }
    }

    /**
     * Acknowledges the open alert of {@code alertKey}: no repeat of it is written until it resolves; its resolution is,
     * under its correlation id. An alert whose opening was withheld (a storm, a silence) stays as it is: nobody was told
     * of it, so there is nothing to acknowledge and its resolution stays unwritten.
     *
     * @return the alert's {@link Withheld} record as it stands now (its reason {@link Withheld.Acknowledged} when this
     *         or an earlier call acknowledged it); empty when no alert of that key is open
     */
    public Optional<Withheld> acknowledge(String alertKey) {
        Optional<Withheld> record = publisher.acknowledge(alertKey, clock.instant());
        record.ifPresentOrElse(w -> LOG.log(Level.INFO, "{0}: {1}", alertKey, w.reason().openingWritten()
                        ? "acknowledged: no repeat until it resolves" : "not acknowledged: its opening was never written"),
                () -> LOG.log(Level.INFO, "{0}: not acknowledged, no such alert is open", alertKey));
        return record;
    }

    /** Whether HA's maintenance entity is on (every alert silenced), as last seen. */
    public boolean maintenanceActive() {
        return silences != null && silences.maintenance().isActive();
    }

    public Optional<Instant> nextWatchdogDeadline() {
        return haAlerts.watchdog().nextDeadline();
    }

    private void recordRun(CheckReport report) {
        try {
            store.recordCheckRun(new CheckRun(report.check(), report.startedAt(), report.duration(), report.status(),
                    report.findings().size(), report.reason()));
        } catch (DiagnosticStoreException e) {
            LOG.log(Level.WARNING, "could not record the run of " + report.check() + " in the history: " + e.getMessage());
        }
    }

    private static int order(String name) {
        int index = BuiltInCheck.names().indexOf(name);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
