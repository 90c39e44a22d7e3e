package dev.hadiag.app.agent;

import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.OpenAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics, in Prometheus's conventions (base units, {@code _total} counters): what the agent
 * sees of HA (up, WebSocket, open alerts, unavailable entities), how its checks fare (duration, last run, last
 * success), whether its events reach the disk, and the JVM and process it runs in. {@code deploy/prometheus/alerts.yml}
 * alerts on them.
 */
final class AgentMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<AlertType, AtomicInteger> openAlerts = new EnumMap<>(AlertType.class);
    private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final AtomicLong unavailableEntities = new AtomicLong(-1);
    private final Counter eventWriteFailures;
    private final Supplier<List<OpenAlert>> alerts;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private Supplier<List<dev.hadiag.app.relay.DestinationStatus>> relayStatus;

    /**
     * @param haUp  HA's availability as the agent sees it: empty until the first heartbeat has an answer
     * @param checks the enabled checks and their intervals, so each has its timestamps from the start (0 until its first run)
     * @param running how long each check's current run has taken (absent: not running)
     * @param tickRunning how long the WebSocket watchdog's current tick has taken (zero: not ticking)
     */
    AgentMetrics(BuildInfo build, Map<String, Duration> checks, Supplier<Optional<Boolean>> haUp, BooleanSupplier webSocketConnected,
            Supplier<List<OpenAlert>> alerts, Supplier<Map<String, Duration>> running, Supplier<Duration> tickRunning) {
        this.alerts = alerts;
        // An info metric of Prometheus's own client: a Micrometer gauge named *_info loses the suffix.
        Info.builder().name("ha_diag_build_info").help("the agent's version, the commit it was built from and when; always 1")
                .labelNames("version", "commit", "built").register(registry.getPrometheusRegistry())
                .setLabelValues(build.version(), build.commit(), build.built());
        Gauge.builder("ha_diag_ha_up", () -> haUp.get().map(up -> up ? 1.0 : 0.0).orElse(Double.NaN))
                .description("1 while Home Assistant answers the agent's heartbeat, 0 while it does not; NaN before the first answer")
                .register(registry);
        Gauge.builder("ha_diag_websocket_connected", () -> webSocketConnected.getAsBoolean() ? 1 : 0)
                .description("1 while the live WebSocket to Home Assistant is up").register(registry);
        Gauge.builder("ha_diag_unavailable_entities", unavailableEntities, n -> n.get() < 0 ? Double.NaN : n.get())
                .description("entities unavailable at the last unavailable_entities run (disabled and ignored ones not counted)")
                .register(registry);
        for (AlertType type : AlertType.values()) {
            AtomicInteger count = new AtomicInteger();
            openAlerts.put(type, count);
            Gauge.builder("ha_diag_open_alerts", count, AtomicInteger::get).tag("type", type.type())
                    .description("open alerts by type").register(registry);
        }
        checks.forEach((check, interval) -> {
            timestamps(check);
            Gauge.builder("ha_diag_check_interval_seconds", () -> interval.toMillis() / 1000.0).tag("check", check)
                    .description("how often the check runs: a rule compares the last success with it").register(registry);
            Gauge.builder("ha_diag_check_running_seconds", () -> running.get().getOrDefault(check, Duration.ZERO).toMillis() / 1000.0)
                    .tag("check", check)
                    .description("how long the check's current run has taken; 0 while it is not running (a stuck check grows)")
                    .register(registry);
        });
        // A stuck tick reaches no dead verdict: shown here as /health shows it (issue 24).
        Gauge.builder("ha_diag_watchdog_tick_running_seconds", () -> tickRunning.get().toMillis() / 1000.0)
                .description("how long the WebSocket watchdog's current tick has taken; 0 between ticks (stuck past 60 s: /health fails)")
                .register(registry);
        eventWriteFailures = Counter.builder("ha_diag_event_write_failures")
                .description("event files that could not be written (the run fails and the next one writes them)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** One gauge per storage component: 0 while {@code /health} reports it failing (disk full, database deleted...). */
    void storage(List<String> components, java.util.function.Predicate<String> failing) {
        for (String component : components) {
            Gauge.builder("ha_diag_storage_ok", () -> failing.test(component) ? 0 : 1).tag("component", component)
                    .description("1 while the component can be written and is the file the agent opened; 0 while /health reports it failing")
                    .register(registry);
        }
    }

    /** Per relay destination: whether it takes the events now, and what it took and refused (issue 26). */
    void relay(Supplier<List<dev.hadiag.app.relay.DestinationStatus>> status) {
        relayStatus = status; // Micrometer holds a gauge's object weakly: a lambda only it knew would be collected (NaN)
        for (dev.hadiag.app.relay.DestinationStatus destination : status.get()) {
            String name = destination.destination();
            java.util.function.Function<Supplier<List<dev.hadiag.app.relay.DestinationStatus>>, Optional<dev.hadiag.app.relay.DestinationStatus>> of =
                    all -> all.get().stream().filter(s -> s.destination().equals(name)).findFirst();
            Gauge.builder("ha_diag_relay_up", status, all -> of.apply(all).map(s -> s.failing() ? 0.0 : 1.0).orElse(Double.NaN))
                    .tag("destination", name).description("1 while the relay destination takes the events, 0 while it is down or refuses them")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("ha_diag_relay_delivered", status,
                    all -> of.apply(all).map(s -> (double) s.delivered()).orElse(0.0)).tag("destination", name)
                    .description("events the destination took since the agent started").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("ha_diag_relay_refused", status,
                    all -> of.apply(all).map(s -> (double) s.refused()).orElse(0.0)).tag("destination", name)
                    .description("events the destination refused for good since the agent started (skipped, not sent again)").register(registry);
        }
    }

    private void timestamps(String check) {
        lastRun.computeIfAbsent(check, name -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("ha_diag_check_last_run_timestamp_seconds", millis, m -> m.get() / 1000.0).tag("check", name)
                    .description("when the check last ran, whatever its result (Unix time; 0: not yet)").register(registry);
            return millis;
        });
        lastSuccess.computeIfAbsent(check, name -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("ha_diag_check_last_success_timestamp_seconds", millis, m -> m.get() / 1000.0).tag("check", name)
                    .description("when the check last completed (ok, warning or error; not skipped or failed; Unix time; 0: not yet)")
                    .register(registry);
            return millis;
        });
    }

    void recordRun(CheckReport report) {
        Timer.builder("ha_diag_check_duration").tag("check", report.check()).tag("status", report.status().wire())
                .description("how long check runs take").register(registry).record(report.duration());
        timestamps(report.check());
        long finished = report.startedAt().plus(report.duration()).toEpochMilli();
        lastRun.get(report.check()).set(finished);
        if (report.status() != CheckStatus.SKIPPED && report.status() != CheckStatus.FAILED) {
            lastSuccess.get(report.check()).set(finished);
        }
        Long unavailable = report.measures().get(UnavailableEntitiesCheck.UNAVAILABLE_ENTITIES_MEASURE);
        if (unavailable != null) {
            unavailableEntities.set(unavailable);
        }
    }

    void recordEvent(String type) {
        Counter.builder("ha_diag_events_emitted").tag("type", type).description("event files written").register(registry).increment();
    }

    void recordEventWriteFailure() {
        eventWriteFailures.increment();
    }

    String scrape() {
        Map<AlertType, Integer> counts = new EnumMap<>(AlertType.class);
        try {
            alerts.get().forEach(alert -> counts.merge(alert.type(), 1, Integer::sum));
        } catch (RuntimeException e) {
            // The store is unreadable right now: keep the last counts rather than fail the scrape.
            return registry.scrape();
        }
        openAlerts.forEach((type, gauge) -> gauge.set(counts.getOrDefault(type, 0)));
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
