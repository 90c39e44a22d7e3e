package dev.hadiag.app.agent;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.Durations;
import dev.hadiag.app.files.DatabaseBackup;
import dev.hadiag.app.fleet.Fleet;
import dev.hadiag.app.relay.DestinationStatus;
import dev.hadiag.app.relay.Relay;
import dev.hadiag.core.alert.IntentReconciliation;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.diagnostics.AlertListing;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.events.fs.EventTreePruner;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.LiveConnectionSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.OkHttpLiveConnection;
import dev.hadiag.http.AgentView;
import dev.hadiag.http.AgentView.CheckInfo;
import dev.hadiag.http.HttpApi;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running agent: the checks on a Quartz schedule, the live WebSocket feeding the watchdog, the HTTP
 * API, and everything they write. One lifecycle: {@link #start} opens every resource (nothing acts yet), then
 * starts what acts; {@link #close()} stops it in the order that loses nothing: the HTTP API first (no new
 * triggers, triggered runs finish), no new scheduled runs (running ones finish), the watchdog's thread, then
 * the connections and the database. A start that fails closes what it opened.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /**
     * The longest the watchdog sleeps: it wakes at its next deadline (the silence timeout, the end of a grace), which
     * only a live signal can move earlier, and then reschedules; this bounds what a wake-up missed by mistake could cost.
     */
    private static final Duration TICK_MAX_GAP = Duration.ofSeconds(5);
    /** How soon /health notices a full or read-only disk while no event is being written. */
    private static final Duration STORAGE_PROBE_INTERVAL = Duration.ofSeconds(10);
    /** How long the watchdog's last tick may take to finish; it does no I/O to HA. */
    private static final Duration TICKER_AWAIT = Duration.ofSeconds(10);
    /** The watchdog's tick does no I/O to HA; writing a verdict's events waits for SQLite at most a few busy timeouts. */
    private static final Duration TICK_BOUND = Duration.ofSeconds(60);
    private static final String TICK_RUN = "the WebSocket watchdog's tick";
    /**
     * How soon a silence added or expired elsewhere (the CLI) takes effect while the database cannot be watched; and how
     * soon a poll that did not get to a due silence's start or end is tried again.
     */
    private static final Duration SILENCE_POLL = Duration.ofSeconds(1);
    /**
     * While the database is watched, the poll runs when it is written (a CLI's silence) and at the next silence's start
     * or end; at least this often, which bounds what a change the watch missed could cost.
     */
    private static final Duration SILENCE_MAX_GAP = Duration.ofSeconds(30);
    /** A write is seen this soon: the commits of one check run come as one poll, not one each. */
    private static final Duration SILENCE_WRITE_DELAY = Duration.ofMillis(100);
    /** The components {@code /health} reports as failing when they cannot be written. */
    static final String EVENTS = "events";
    static final String STORE = "store";

    private final AgentConfig config;
    private final Clock clock;
    private final List<String> enabled;
    private StateLock lock;
    private SqliteDiagnosticStore store;
    private OkHttpHomeAssistant ha;
    private OkHttpLiveConnection live;
    private Diagnostics diagnostics;
    /** What the live stream feeds the stale and flapping checks. */
    private LiveStates liveStates;
    private AgentMetrics metrics;
    private StorageHealth storage;
    private RunningChecks runningChecks;
    private RunningChecks ticks;
    private AgentStatus status;
    private ScheduledExecutorService ticker;
    private final Object tickSchedule = new Object();
    private ScheduledFuture<?> nextTick; // guarded by tickSchedule
    private long nextTickNanos; // System.nanoTime() of nextTick, as the executor counts; guarded by tickSchedule
    /** The silence poll, and the log line of a run that outlives its bound. */
    private ScheduledExecutorService silencePoller;
    private final Object silenceSchedule = new Object();
    private ScheduledFuture<?> nextSilencePoll; // guarded by silenceSchedule
    private long nextSilencePollNanos; // guarded by silenceSchedule
    /** Whether a write to the database wakes the silence poll; if not, it polls every second. */
    private volatile boolean databaseWatched;
    private DatabaseWatch databaseWatch;
    /** events.retention's daily prune: its own thread, so a long one never delays the watchdog's tick or a silence. */
    private ScheduledExecutorService eventsPruner;
    private Scheduler scheduler;
    private HttpApi http;
    private volatile Relay relay;
    /** The fleet view beside the agent ({@code fleet.enabled}), or null. */
    private Fleet fleet;

    private Agent(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.enabled = BuiltInCheck.names().stream().filter(name -> config.check(name).enabled()).toList();
    }

    /** Opens the database and event directory and starts everything; on failure, closes what it opened. */
    public static Agent start(AgentConfig config, Clock clock) {
        Agent agent = new Agent(config, clock);
        try {
            agent.open();
            agent.startAll();
            return agent;
        } catch (RuntimeException e) {
            try {
                agent.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Every resource, in the order they need each other; nothing runs a check or writes an event yet. */
    private void open() {
        // First of all: a second agent on this state stops here, before it has touched anything.
        lock = StateLock.acquire(config.dbPath(), clock.instant());
        DatabaseBackup.beforeMigration(config.dbPath(), clock).ifPresent(backup -> LOG.warn(
                "database {} has an older schema: backed up to {} before migrating it to schema {} (a rollback restores it: DEPLOY.md)",
                config.dbPath(), backup, SqliteDiagnosticStore.SCHEMA_VERSION));
        store = SqliteDiagnosticStore.open(config.dbPath());
        HaClientSettings haSettings = new HaClientSettings(config.haUrl(), config.haToken(), HaClientSettings.DEFAULT_CONNECT_TIMEOUT,
                config.requestTimeout(), config.haCaCertificates());
        if (config.haUrl().endsWith("/api")) { // issue 24: said so, not sent as GET /api/api/
            LOG.warn("HA_URL {} names HA's API, not its base URL: requests go to {}/api/...", config.haUrl(), haSettings.baseUrl());
        }
        ha = new OkHttpHomeAssistant(haSettings);
        // A short cap on the reconnect delay means HA's return is noticed within about a second (docs/performance.md,
        // figure 4): kept for the first minutes of an outage (a restart, an update). An HA away for longer (its host
        // gone, a remote HA over a dead tunnel) is then tried less and less often, up to max_reconnect_delay, instead of
        // every second forever.
        LiveConnectionSettings defaults = LiveConnectionSettings.DEFAULTS;
        live = new OkHttpLiveConnection(haSettings, reconnectTiming(config.websocket(), defaults), clock);
        Map<String, Duration> intervals = new LinkedHashMap<>();
        enabled.forEach(name -> intervals.put(name, config.check(name).interval()));
        // Total: a trigger of an unknown name is run (and answered 404 by the core) like any other.
        // A run's log line as stuck waits on the silences' thread (not the ticker's: a stuck tick must be logged too).
        silencePoller = singleThread("ha-diag-silences");
        runningChecks = new RunningChecks("check ", name -> RunningChecks.bound(
                BuiltInCheck.names().contains(name) ? config.check(name).interval() : Duration.ZERO, config.requestTimeout()), clock,
                silencePoller);
        ticks = new RunningChecks("", name -> TICK_BOUND, clock, silencePoller);
        // The gauges ask the status only when scraped, after it exists.
        metrics = new AgentMetrics(BuildInfo.current(), intervals, () -> status.haReachable(), () -> status.webSocketConnected(),
                store::allOpenAlerts, runningChecks::runningFor, () -> ticks.runningFor().getOrDefault(TICK_RUN, Duration.ZERO));
        FileSystemEventSink events = FileSystemEventSink.open(config.eventsDir());
        storage = new StorageHealth(List.of(new StorageHealth.Target(EVENTS, events.root(), true),
                new StorageHealth.Target(STORE, store.file().getParent())), clock);
        watchDatabase();
        metrics.storage(List.of(EVENTS, STORE), component -> storage.problems().stream().anyMatch(p -> p.component().equals(component)));
        // Before any decision: alert events a crash left unrecorded are found on disk, not written again; a new (or lost,
        // or restored) database learns from the files which alerts are open, rather than opening them again under new ids.
        FileSystemEventLog eventLog = new FileSystemEventLog(config.eventsDir());
        IntentReconciliation.reconcile(store, eventLog, config.nodeName());
        IntentReconciliation.adoptOpenAlerts(store, eventLog, config.nodeName(), clock.instant());
        liveStates = new LiveStates(config.checks().flapping().detector());
        diagnostics = DiagnosticsFactory.create(config, enabled, ha, store,
                new ObservedEventSink(events, this::written, metrics::recordEventWriteFailure, storage), clock, liveStates);
        status = AgentStatus.builder(diagnostics, store, clock)
                .version(version())
                .node(config.nodeName())
                .checks(BuiltInCheck.names().stream().map(name -> new CheckInfo(name, config.check(name).enabled(), config.check(name).interval(),
                        BuiltInCheck.FLAPPING.wire().equals(name)))
                        .toList())
                // The timeline reads only the day directories from `since` on (files are dated by their UTC day).
                .events(query -> Files.isDirectory(config.eventsDir()) ? eventLog.find(query) : Stream.empty())
                .problems(() -> Stream.of(storage.problems(), runningChecks.problems(), ticks.problems(), relayProblems())
                        .flatMap(List::stream).toList())
                .metrics(metrics::scrape)
                .wrapEachRun(this::observed)
                .onSilencesChanged(this::pollSilencesNow)
                .build();
        // Configured now, listening only in startAll: building it binds nothing and runs nothing.
        http = HttpApi.builder(status, clock).apiToken(config.http().apiToken())
                .remoteTriggerAllowed(config.http().remoteTriggerAllowed()).build();
        ticker = singleThread("ha-diag-watchdog");
        if (!config.eventsRetention().isZero()) {
            eventsPruner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "ha-diag-events-prune");
                thread.setDaemon(true);
                return thread;
            });
        }
        if (config.relay().hasDestination()) {
            relay = Relay.open(config.relay(), clock, this::relayHealth); // its state file: a start that fails here has done nothing yet
            Relay opened = relay;
            metrics.relay(opened::status);
        }
    }

    /**
     * One daemon thread whose cancelled tasks leave its queue at once: a rescheduled tick or a run's disarmed alarm
     * would otherwise wake the thread at its old time, for nothing.
     */
    private static ScheduledExecutorService singleThread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private void watchDatabase() {
        try {
            storage.watch(STORE, store.file());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("database " + store.file() + " cannot be looked at: " + e.getMessage(), e);
        }
    }

    /** The live connection's reconnect timing from the {@code websocket.*} keys: a quarter of the quick cap first, doubling. */
    static LiveConnectionSettings reconnectTiming(dev.hadiag.app.config.WebSocketSettings websocket, LiveConnectionSettings defaults) {
        Duration quick = websocket.quickReconnectDelay();
        Duration initial = quick.dividedBy(4).isZero() ? quick : quick.dividedBy(4);
        return new LiveConnectionSettings(defaults.pingAfter(), defaults.pongTimeout(), initial, websocket.maxReconnectDelay(),
                defaults.authRetry(), quick, websocket.quickReconnectFor());
    }

    // Everything that can fail to start (the port above all) starts before anything that acts: a start that
    // fails must not have run a check or written an event.
    private void startAll() {
        // Beside the agent, on its own port; it only reads the broker and writes node events. With everything else that
        // can fail to start (its port), before anything acts, and before the agent's API answers (a 200 there means ready).
        config.fleetBesideAgent().ifPresent(settings -> fleet = Fleet.start(settings, clock, version()));
        http.start(config.http().bind(), config.http().port());
        try {
            scheduler = new StdSchedulerFactory(quartzProperties()).getScheduler();
            scheduler.setJobFactory(CheckJob.factory(status));
            long offset = 0;
            for (String name : enabled) {
                scheduler.scheduleJob(JobBuilder.newJob(CheckJob.class).withIdentity(name).build(),
                        TriggerBuilder.newTrigger().withIdentity(name)
                                // The heartbeat first, the others a moment apart, so a start is not one burst at HA.
                                .startAt(new Date(System.currentTimeMillis() + offset))
                                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                        .withIntervalInMilliseconds(config.check(name).interval().toMillis()).repeatForever()
                                        // After a pause (suspended host, long GC) skip what was missed; never run a burst.
                                        .withMisfireHandlingInstructionNextWithRemainingCount())
                                .build());
                offset += 500;
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
        diagnostics.pruneHistory(config.historyRetention());
        status.ready();
        live.start(signal -> {
            liveStates.onSignal(signal); // the stale and flapping checks learn from every signal
            diagnostics.onLiveSignal(signal);
            if (!(signal instanceof LiveSignal.Frame) && !(signal instanceof LiveSignal.StateChanged)) {
                scheduleTick(); // a disconnect or an announced stop may bring the deadline forward; frames only push it back
            }
        });
        scheduleTick();
        ticker.scheduleWithFixedDelay(() -> diagnostics.pruneHistory(config.historyRetention()), 1, 1, TimeUnit.DAYS);
        if (eventsPruner != null) {
            eventsPruner.scheduleWithFixedDelay(this::pruneEvents, 0, 1, TimeUnit.DAYS);
        }
        // Silences (issue #16): the CLI writes them from another process; this is how soon the agent acts on them. Their
        // own thread: reading the maintenance entity asks HA, which must never delay the watchdog's tick.
        // Woken by a write to the database (the CLI's is another process's) and at the next silence's start or end, rather
        // than every second.
        databaseWatch = DatabaseWatch.start(store.file(), () -> scheduleSilencePoll(SILENCE_WRITE_DELAY), () -> {
            databaseWatched = false;
            pollSilencesNow();
        }).orElse(null);
        databaseWatched = databaseWatch != null;
        pollSilencesNow();
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
        storage.start(STORAGE_PROBE_INTERVAL);
        if (relay != null) {
            relay.start();
        }
        LOG.info("ha-diag agent {} watching {} as node {}; checks {}; HTTP API on {}:{}", BuildInfo.current().describe(), config.haUrl(),
                config.nodeName(),
                enabled, config.http().bind(), http.port());
    }

    private Properties quartzProperties() {
        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", "ha-diag");
        quartz.setProperty("org.quartz.threadPool.class", CheckThreadPool.class.getName());
        quartz.setProperty("org.quartz.threadPool.threadCount", String.valueOf(Math.max(1, Math.min(4, enabled.size()))));
        quartz.setProperty("org.quartz.threadPool.threadNamePrefix", "ha-diag-check");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        quartz.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        return quartz;
    }

    /**
     * What the relay's health topic says of this agent (the fleet view shows it): HA's state as the status page names it,
     * and whether {@code /health} fails.
     */
    private dev.hadiag.app.relay.RelayHealth relayHealth() {
        List<dev.hadiag.core.store.OpenAlert> open = status.openAlerts();
        String ha;
        if (open.stream().anyMatch(alert -> alert.type() == dev.hadiag.core.event.AlertType.AUTH_FAILED)) {
            ha = "token_rejected";
        } else if (open.stream().anyMatch(alert -> alert.type() == dev.hadiag.core.event.AlertType.WEBSOCKET_DEAD)) {
            ha = "down";
        } else {
            ha = status.haReachable().map(up -> up ? "up" : "down").orElse("unknown");
        }
        return new dev.hadiag.app.relay.RelayHealth(version(), ha, status.problems().isEmpty() ? "ok" : "failing", open.size(),
                errorAlerts(open));
    }

    /** How many open alerts are at error or critical, ranked as the status page ranks them. */
    private int errorAlerts(List<dev.hadiag.core.store.OpenAlert> open) {
        Map<String, dev.hadiag.core.analysis.Finding> current = AlertListing.currentFindings(status.lastReports().values());
        return (int) open.stream().map(alert -> AlertListing.severity(alert, current))
                .filter(severity -> severity.compareTo(dev.hadiag.core.event.Severity.ERROR) >= 0).count();
    }

    /** An event file is on disk: count it, and let the relay send it now rather than at its next poll. */
    private void written(String type) {
        metrics.recordEvent(type);
        Relay running = relay;
        if (running != null) {
            running.wake();
        }
    }

    private void tick() {
        try {
            ticks.observe(TICK_RUN, () -> {
                diagnostics.tick();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("watchdog tick failed", e);
        } finally {
            synchronized (tickSchedule) {
                nextTick = null;
            }
            scheduleTick();
        }
    }

    /**
     * Schedules the watchdog's next tick at its next deadline, at most {@link #TICK_MAX_GAP} away, unless one is due
     * sooner already: instead of waking every 200 ms, the watchdog wakes when the clock can change a verdict.
     */
    private void scheduleTick() {
        Duration untilDeadline = diagnostics.nextWatchdogDeadline().map(deadline -> Duration.between(clock.instant(), deadline))
                .orElse(TICK_MAX_GAP);
        long delay = Math.max(0, Math.min(untilDeadline.toNanos(), TICK_MAX_GAP.toNanos()));
        long at = System.nanoTime() + delay;
        synchronized (tickSchedule) {
            if (nextTick != null && nextTickNanos - at <= 0) {
                return; // due sooner (or as soon) already
            }
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            try {
                nextTick = ticker.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
                nextTickNanos = at;
            } catch (RejectedExecutionException stopping) {
                nextTick = null; // the agent is stopping: no more ticks
            }
        }
    }

    private void pollSilencesNow() {
        scheduleSilencePoll(Duration.ZERO);
    }

    /** The silence poll in {@code delay}, unless one is due sooner already (one poll for a burst of writes). */
    private void scheduleSilencePoll(Duration delay) {
        long at = System.nanoTime() + delay.toNanos();
        synchronized (silenceSchedule) {
            if (nextSilencePoll != null && nextSilencePollNanos - at <= 0) {
                return;
            }
            if (nextSilencePoll != null) {
                nextSilencePoll.cancel(false);
            }
            try {
                nextSilencePoll = silencePoller.schedule(this::pollSilences, delay.toNanos(), TimeUnit.NANOSECONDS);
                nextSilencePollNanos = at;
            } catch (RejectedExecutionException stopping) {
                nextSilencePoll = null; // the agent is stopping: no more polls
            }
        }
    }

    private void pollSilences() {
        synchronized (silenceSchedule) {
            nextSilencePoll = null; // a write from now on schedules the next one
        }
        try {
            diagnostics.pollSilences();
        } catch (RuntimeException e) {
            LOG.error("silence poll failed", e);
        }
        scheduleSilencePoll(untilNextSilenceChange());
    }

    /**
     * The next poll: at the next silence's start or end (or the maintenance entity's read), at most {@link #SILENCE_MAX_GAP}
     * away, every {@link #SILENCE_POLL} while the database is not watched; one already due (the poll did not get to it)
     * is tried again after {@link #SILENCE_POLL}, not at once in a loop.
     */
    private Duration untilNextSilenceChange() {
        Duration gap = databaseWatched ? SILENCE_MAX_GAP : SILENCE_POLL;
        Duration until;
        try {
            until = diagnostics.nextSilenceChange().map(at -> Duration.between(clock.instant(), at)).orElse(gap);
        } catch (RuntimeException e) {
            LOG.error("silence poll failed", e);
            until = SILENCE_POLL;
        }
        if (until.isNegative() || until.isZero()) {
            return SILENCE_POLL;
        }
        return until.compareTo(gap) < 0 ? until : gap;
    }

    /** Every run, scheduled or triggered: the check's name in the log lines it causes, and its metrics. */
    private CheckReport observed(String name, Supplier<CheckReport> run) {
        try (MDC.MDCCloseable check = MDC.putCloseable("check", name)) {
            CheckReport report = runningChecks.observe(name, run);
            metrics.recordRun(report);
            if (report.status() == CheckStatus.FAILED) {
                LOG.warn("check {} could not run: {}", name, report.reason());
            } else {
                LOG.debug("check {}: {} {}", name, report.status().wire(), report.reason());
            }
            return report;
        }
    }

    /** What the HTTP API shows of this agent. */
    public AgentView view() {
        return status;
    }

    public int httpPort() {
        return http.port();
    }

    /**
     * Stops everything in the order that loses nothing (see the class comment). Every step runs even when an
     * earlier one throws; the first failure is thrown afterwards.
     */
    @Override
    public void close() {
        LOG.info("stopping: no new check runs; waiting for running ones");
        if (status != null) {
            status.stopping();
        }
        // Lambdas, not method references: a reference on a resource never opened (null) throws where it is written.
        new Shutdown()
                .then("the HTTP API", http, () -> http.close()) // waits for triggered runs
                .then("the fleet view", fleet, () -> fleet.close())
                .then("the scheduler", scheduler, this::stopScheduler)
                .then("the watchdog", ticker, () -> {
                    ticker.shutdownNow();
                    ticker.awaitTermination(TICKER_AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                })
                .then("the database watch", databaseWatch, () -> databaseWatch.close())
                .then("the silence poller", silencePoller, () -> { // a poll in progress finishes its writes before the store closes
                    silencePoller.shutdownNow();
                    silencePoller.awaitTermination(TICKER_AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                })
                .then("the events prune", eventsPruner, () -> {
                    eventsPruner.shutdownNow();
                    eventsPruner.awaitTermination(TICKER_AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                })
                .then("the relay", relay, () -> relay.close()) // what it has not sent yet waits on disk for the next start
                .then("the storage probe", storage, () -> storage.close())
                .then("the WebSocket", live, () -> live.close())
                .then("the HA client", ha, () -> ha.close())
                .then("the database", store, () -> store.close())
                .then("the metrics", metrics, () -> metrics.close())
                .then("the state lock", lock, () -> lock.close()) // last: the next agent may start once this one has let go
                .run();
        LOG.info("stopped");
    }

    /**
     * No new scheduled runs; running ones get the longest an on-time run can take to finish. A stuck one is left behind
     * (its writes fail on the closed store and are reconciled at the next start): before, SIGTERM waited for it forever.
     */
    private void stopScheduler() throws SchedulerException, InterruptedException {
        scheduler.shutdown(false);
        List<String> stuck = runningChecks.awaitIdle(config.requestTimeout().multipliedBy(2));
        if (!stuck.isEmpty()) {
            LOG.error("checks {} still running {} s after the stop began; stopping without them", stuck,
                    config.requestTimeout().multipliedBy(2).toSeconds());
        }
    }

    /**
     * A destination failing for {@code relay.failing_after} (a broker down, ntfy refusing the token): the events are on
     * disk, but the pushes the operator relies on do not arrive, so /health says so (issue 26) rather than the log alone.
     */
    private List<AgentView.Problem> relayProblems() {
        Relay running = relay;
        if (running == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return running.status().stream().filter(DestinationStatus::failing)
                .filter(status -> !status.failingSince().plus(config.relay().failingAfter()).isAfter(now))
                .map(status -> new AgentView.Problem("relay", status.destination() + ": " + status.failure(), status.failingSince()))
                .toList();
    }

    /** {@code events.retention}: whole days of the tree older than it go, as {@code ha-diag events prune} removes them. */
    private void pruneEvents() {
        Instant cut = clock.instant().minus(config.eventsRetention());
        try {
            List<EventTreePruner.Day> days = EventTreePruner.prune(config.eventsDir(), cut, false);
            long pruned = days.stream().filter(EventTreePruner.Day::pruned).count();
            if (pruned > 0) {
                LOG.info("events.retention {}: pruned {} day(s) of {} that ended before {} ({} event files)", Durations.format(config.eventsRetention()),
                        pruned, config.eventsDir(), cut, days.stream().filter(EventTreePruner.Day::pruned).mapToInt(EventTreePruner.Day::files).sum());
            }
            days.stream().filter(day -> !day.pruned()).forEach(day -> LOG.warn("events.retention: kept {} of {}: {}", day.day(),
                    config.eventsDir(), day.reason()));
        } catch (IOException | RuntimeException e) {
            LOG.error("events.retention: could not prune {}: {}", config.eventsDir(), e.getMessage());
        }
    }

    static String version() {
        return BuildInfo.current().version();
    }
}
