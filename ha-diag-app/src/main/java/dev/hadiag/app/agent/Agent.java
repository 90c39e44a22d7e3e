package dev.hadiag.app.agent;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.CheckSettings;
import dev.hadiag.app.relay.Relay;
import dev.hadiag.core.alert.IntentReconciliation;
import dev.hadiag.core.check.CheckNames;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.LiveConnectionSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.OkHttpLiveConnection;
import dev.hadiag.http.AgentView;
import dev.hadiag.http.HttpApi;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * API, and everything they write. {@link #close()} stops it in the order that loses nothing: no new runs,
 * running checks finish, then the connections and the database close.
 */
public final class Agent implements AgentView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** How often the watchdog looks at the clock: the latency of a dead verdict beyond the grace. */
    private static final Duration TICK = Duration.ofMillis(200);
    /** How soon /health notices a full or read-only disk while no event is being written. */
    private static final Duration STORAGE_PROBE_INTERVAL = Duration.ofSeconds(10);
    /** How soon a silence added, expired or ended elsewhere (the CLI, its end time) takes effect. */
    private static final Duration SILENCE_POLL = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final Clock clock;
    private final SqliteDiagnosticStore store;
    private final OkHttpHomeAssistant ha;
    private final OkHttpLiveConnection live;
    private final Diagnostics diagnostics;
    private final AgentMetrics metrics;
    private final List<String> enabled = new ArrayList<>();
    /** The components {@code /health} reports as failing when they cannot be written. */
    static final String EVENTS = "events";
    static final String STORE = "store";
    private final StorageHealth storage;
    private final ScheduledExecutorService ticker;
    private final ScheduledExecutorService silencePoller;
    private Scheduler scheduler;
    private HttpApi http;
    private volatile Relay relay;
    private String haState = "";
    private Instant haStateSince;
    /** Set once everything runs: until then no check may run, not even one asked for over HTTP. */
    private volatile boolean started;

    private Agent(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        CheckNames.ALL.stream().filter(name -> config.check(name).enabled()).forEach(enabled::add);
        this.store = SqliteDiagnosticStore.open(config.dbPath());
        HaClientSettings haSettings = new HaClientSettings(config.haUrl(), config.haToken(), HaClientSettings.DEFAULT_CONNECT_TIMEOUT,
                config.requestTimeout());
        this.ha = new OkHttpHomeAssistant(haSettings);
        // Reconnect attempts against a down HA are refused connections, cheap for both sides: a short cap means
        // HA's return is noticed within about a second (docs/performance.md, figure 4).
        Duration maxDelay = config.wsMaxReconnectDelay();
        Duration initialDelay = maxDelay.dividedBy(4).isZero() ? maxDelay : maxDelay.dividedBy(4);
        LiveConnectionSettings defaults = LiveConnectionSettings.DEFAULTS;
        this.live = new OkHttpLiveConnection(haSettings, new LiveConnectionSettings(defaults.pingAfter(), defaults.pongTimeout(),
                initialDelay, maxDelay, defaults.authRetry()), clock);
        // The gauge calls webSocketConnected() only when scraped, after construction.
        Map<String, Duration> intervals = new LinkedHashMap<>();
        enabled.forEach(name -> intervals.put(name, config.check(name).interval()));
        this.metrics = new AgentMetrics(version(), intervals, this::haReachable, this::webSocketConnected, store::allOpenAlerts);
        FileSystemEventSink events = FileSystemEventSink.open(config.eventsDir());
        this.storage = new StorageHealth(List.of(new StorageHealth.Target(EVENTS, events.root()),
                new StorageHealth.Target(STORE, config.dbPath().toAbsolutePath().getParent())), clock);
        // Before any decision: alert events a crash left unrecorded are found on disk, not written again.
        IntentReconciliation.reconcile(store, new FileSystemEventLog(config.eventsDir()), config.nodeName());
        this.diagnostics = DiagnosticsFactory.create(config, enabled, ha, store,
                new ObservedEventSink(events, this::written, metrics::recordEventWriteFailure, storage), clock);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ha-diag-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        this.silencePoller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ha-diag-silences");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the database and event directory and starts everything. */
    public static Agent start(AgentConfig config, Clock clock) {
        Agent agent = new Agent(config, clock);
        try {
            agent.startAll();
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    // Everything that can fail to start (the port above all) starts before anything that acts: a start that
    // fails must not have run a check or written an event.
    private void startAll() {
        http = HttpApi.start(this, config.httpBind(), config.httpPort(), config.apiTokenIfSet(), config.remoteTriggerAllowed(), clock);
        if (config.relay().hasDestination()) {
            relay = Relay.open(config.relay(), clock); // its state file: a start that fails here has done nothing yet
        }
        try {
            Properties quartz = new Properties();
            quartz.setProperty("org.quartz.scheduler.instanceName", "ha-diag");
            quartz.setProperty("org.quartz.threadPool.threadCount", String.valueOf(Math.max(1, Math.min(4, enabled.size()))));
            quartz.setProperty("org.quartz.threadPool.threadNamePrefix", "ha-diag-check");
            quartz.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            quartz.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
            quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            scheduler = new StdSchedulerFactory(quartz).getScheduler();
            scheduler.getContext().put(CheckJob.AGENT, this);
            long offset = 0;
            for (String name : enabled) {
                CheckSettings settings = config.check(name);
                scheduler.scheduleJob(JobBuilder.newJob(CheckJob.class).withIdentity(name).usingJobData(CheckJob.CHECK, name).build(),
                        TriggerBuilder.newTrigger().withIdentity(name)
                                // The heartbeat first, the others a moment apart, so a start is not one burst at HA.
                                .startAt(new Date(System.currentTimeMillis() + offset))
                                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                        .withIntervalInMilliseconds(settings.interval().toMillis()).repeatForever()
                                        // After a pause (suspended host, long GC) skip what was missed; never run a burst.
                                        .withMisfireHandlingInstructionNextWithRemainingCount())
                                .build());
                offset += 500;
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
        diagnostics.pruneHistory(config.historyRetention());
        started = true;
        live.start(diagnostics::onLiveSignal);
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(() -> diagnostics.pruneHistory(config.historyRetention()), 1, 1, TimeUnit.DAYS);
        // Silences (issue #16): the CLI writes them from another process; this is how soon the agent acts on them. Their
        // own thread: reading the maintenance entity asks HA, which must never delay the watchdog's tick.
        silencePoller.scheduleWithFixedDelay(this::pollSilences, 0, SILENCE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
        storage.start(STORAGE_PROBE_INTERVAL);
        if (relay != null) {
            relay.start();
        }
        LOG.info("ha-diag agent {} watching {} as node {}; checks {}; HTTP API on {}:{}", version(), config.haUrl(), config.nodeName(),
                enabled, config.httpBind(), http.port());
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
            diagnostics.tick();
        } catch (RuntimeException e) {
            LOG.error("watchdog tick failed", e);
        }
    }

    private void pollSilences() {
        try {
            diagnostics.pollSilences();
        } catch (RuntimeException e) {
            LOG.error("silence poll failed", e);
        }
    }

    /** Runs one check now, with its name in the log lines it causes, and records its metrics. */
    CheckReport runCheck(String name) {
        try (MDC.MDCCloseable check = MDC.putCloseable("check", name)) {
            CheckReport report = diagnostics.run(name);
            metrics.recordRun(report);
            if (CheckNames.HEARTBEAT.equals(name)) {
                noteHaState(report);
            }
            if (report.status() == CheckReport.Status.FAILED) {
                LOG.warn("check {} could not run: {}", name, report.reason());
            } else {
                LOG.debug("check {}: {} {}", name, report.status().wire(), report.reason());
            }
            return report;
        }
    }

    /** When HA's state as the heartbeat sees it (answering, starting, not answering) last changed. */
    private synchronized void noteHaState(CheckReport heartbeat) {
        String state = heartbeat.status() == CheckReport.Status.SKIPPED || heartbeat.status() == CheckReport.Status.FAILED ? haState
                : !heartbeat.findings().isEmpty() ? "down" : heartbeat.note().contains("is starting") ? "starting" : "up";
        if (!state.equals(haState)) {
            haState = state;
            haStateSince = heartbeat.startedAt();
        }
    }

    @Override
    public synchronized Optional<Instant> haStateSince() {
        return Optional.ofNullable(haStateSince);
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        LOG.info("stopping: no new check runs; waiting for running ones");
        started = false;
        if (scheduler != null) {
            try {
                scheduler.shutdown(true); // running checks finish; HA's request timeout bounds the wait
            } catch (SchedulerException e) {
                LOG.warn("scheduler shutdown: {}", e.getMessage());
            }
        }
        ticker.shutdownNow();
        silencePoller.shutdownNow();
        try {
            // A poll in progress finishes its writes before the store closes under it.
            silencePoller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (relay != null) {
            relay.close(); // what it has not sent yet waits on disk for the next start
        }
        storage.close();
        live.close();
        if (http != null) {
            http.close();
        }
        ha.close();
        store.close();
        metrics.close();
        LOG.info("stopped");
    }

    // --- AgentView ---

    @Override
    public String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String node() {
        return config.nodeName();
    }

    @Override
    public List<CheckInfo> checks() {
        return CheckNames.ALL.stream().map(name -> new CheckInfo(name, config.check(name).enabled(), config.check(name).interval())).toList();
    }

    @Override
    public CheckReport trigger(String check) {
        if (!started) {
            throw new NotReadyException("the agent is starting or stopping; no check runs then");
        }
        return runCheck(check);
    }

    @Override
    public Map<String, CheckReport> lastReports() {
        return diagnostics.lastReports();
    }

    @Override
    public List<OpenAlert> openAlerts() {
        return store.allOpenAlerts();
    }

    @Override
    public boolean webSocketConnected() {
        return diagnostics.isWebSocketConnected();
    }

    @Override
    public Optional<Boolean> haReachable() {
        CheckReport heartbeat = diagnostics.lastReports().get(CheckNames.HEARTBEAT);
        if (heartbeat == null || heartbeat.status() == CheckReport.Status.SKIPPED || heartbeat.status() == CheckReport.Status.FAILED) {
            return diagnostics.isWebSocketConnected() ? Optional.of(true) : Optional.empty();
        }
        return Optional.of(heartbeat.findings().stream().noneMatch(f -> f.type() == AlertType.WEBSOCKET_DEAD));
    }

    @Override
    public List<Problem> problems() {
        return storage.problems();
    }

    @Override
    public List<Event> recentEvents(Instant since, int limit) {
        ArrayDeque<Event> last = new ArrayDeque<>(limit);
        if (!Files.isDirectory(config.eventsDir())) {
            return List.of();
        }
        // Only the day directories from `since` on are read (the layout dates files by their UTC day).
        try (Stream<Event> events = new FileSystemEventLog(config.eventsDir()).find(EventQuery.all().withSince(since))) {
            events.forEach(event -> {
                if (last.size() == limit) {
                    last.removeFirst();
                }
                last.addLast(event);
            });
        }
        return List.copyOf(last);
    }

    @Override
    public List<Silence> silences() {
        return store.silences();
    }

    @Override
    public Silence addSilence(NewSilence silence) {
        Silence added = store.addSilence(silence);
        diagnostics.applySilences(); // its start event now, not at the next poll
        return added;
    }

    @Override
    public Optional<Silence> expireSilence(long id) {
        Optional<Silence> expired = store.expireSilence(id, clock.instant());
        diagnostics.applySilences();
        return expired;
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }
}
