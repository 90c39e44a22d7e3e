package dev.hadiag.app.agent;

import dev.hadiag.app.agent.PrometheusText.Type;
import dev.hadiag.app.relay.DestinationStatus;
import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics, in Prometheus's conventions (base units, {@code _total} counters): what the agent
 * sees of HA (up, WebSocket, open alerts, unavailable entities), how its checks fare (duration, last run, last
 * success), whether its events reach the disk, and the JVM and process it runs in ({@link ProcessMetrics}).
 * {@code deploy/prometheus/alerts.yml} alerts on them. The series names, types and help texts are those Micrometer
 * gave them before the agent wrote the format itself ({@link PrometheusText}), so dashboards and rules keep working.
 */
final class AgentMetrics implements AutoCloseable {

    /** A family's series by their sorted labels (the order they are written in), each able to write its sample lines. */
    private record Family(String name, Type type, String help, Map<String, Labelled> series) {
    }

    private interface Series {
        void write(PrometheusText out, String family, Map<String, String> labels);
    }

    private record Labelled(Map<String, String> labels, Series series) {
    }

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();
    private final Map<AlertType, AtomicInteger> openAlerts = new EnumMap<>(AlertType.class);
    private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, Timing> durations = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> emitted = new ConcurrentHashMap<>();
    private final AtomicLong unavailableEntities = new AtomicLong(-1);
    private final DoubleAdder eventWriteFailures = new DoubleAdder();
    private final Supplier<List<OpenAlert>> alerts;
    private final ProcessMetrics process = new ProcessMetrics();

    /**
     * @param haUp  HA's availability as the agent sees it: empty until the first heartbeat has an answer
     * @param checks the enabled checks and their intervals, so each has its timestamps from the start (0 until its first run)
     * @param running how long each check's current run has taken (absent: not running)
     * @param tickRunning how long the WebSocket watchdog's current tick has taken (zero: not ticking)
     */
    AgentMetrics(BuildInfo build, Map<String, Duration> checks, Supplier<Optional<Boolean>> haUp, BooleanSupplier webSocketConnected,
            Supplier<List<OpenAlert>> alerts, Supplier<Map<String, Duration>> running, Supplier<Duration> tickRunning) {
        this.alerts = alerts;
        Map<String, String> buildLabels = new TreeMap<>(Map.of("version", build.version(), "commit", build.commit(), "built", build.built()));
        register("ha_diag_build_info", Type.GAUGE, "the agent's version, the commit it was built from and when; always 1", buildLabels,
                (out, family, labels) -> out.sample(family, labels, 1L));
        gauge("ha_diag_ha_up", "1 while Home Assistant answers the agent's heartbeat, 0 while it does not; NaN before the first answer",
                Map.of(), () -> haUp.get().map(up -> up ? 1.0 : 0.0).orElse(Double.NaN));
        gauge("ha_diag_websocket_connected", "1 while the live WebSocket to Home Assistant is up", Map.of(),
                () -> webSocketConnected.getAsBoolean() ? 1 : 0);
        gauge("ha_diag_unavailable_entities",
                "entities unavailable at the last unavailable_entities run (disabled and ignored ones not counted)", Map.of(),
                () -> unavailableEntities.get() < 0 ? Double.NaN : unavailableEntities.get());
        for (AlertType type : AlertType.values()) {
            AtomicInteger count = new AtomicInteger();
            openAlerts.put(type, count);
            gauge("ha_diag_open_alerts", "open alerts by type", Map.of("type", type.type()), count::get);
        }
        checks.forEach((check, interval) -> {
            timestamps(check);
            gauge("ha_diag_check_interval_seconds", "how often the check runs: a rule compares the last success with it",
                    Map.of("check", check), () -> interval.toMillis() / 1000.0);
            gauge("ha_diag_check_running_seconds",
                    "how long the check's current run has taken; 0 while it is not running (a stuck check grows)", Map.of("check", check),
                    () -> running.get().getOrDefault(check, Duration.ZERO).toMillis() / 1000.0);
        });
        // A stuck tick reaches no dead verdict: shown here as /health shows it (issue 24).
        gauge("ha_diag_watchdog_tick_running_seconds",
                "how long the WebSocket watchdog's current tick has taken; 0 between ticks (stuck past 60 s: /health fails)", Map.of(),
                () -> tickRunning.get().toMillis() / 1000.0);
        counter("ha_diag_event_write_failures_total",
                "event files that could not be written (the run fails and the next one writes them)", Map.of(), eventWriteFailures::sum);
    }

    /** One gauge per storage component: 0 while {@code /health} reports it failing (disk full, database deleted...). */
    void storage(List<String> components, Predicate<String> failing) {
        for (String component : components) {
            gauge("ha_diag_storage_ok",
                    "1 while the component can be written and is the file the agent opened; 0 while /health reports it failing",
                    Map.of("component", component), () -> failing.test(component) ? 0 : 1);
        }
    }

    /** Per relay destination: whether it takes the events now, and what it took and refused (issue 26). */
    void relay(Supplier<List<DestinationStatus>> status) {
        for (DestinationStatus destination : status.get()) {
            String name = destination.destination();
            Supplier<Optional<DestinationStatus>> of = () -> status.get().stream().filter(s -> s.destination().equals(name)).findFirst();
            Map<String, String> labels = Map.of("destination", name);
            gauge("ha_diag_relay_up", "1 while the relay destination takes the events, 0 while it is down or refuses them", labels,
                    () -> of.get().map(s -> s.failing() ? 0.0 : 1.0).orElse(Double.NaN));
            counter("ha_diag_relay_delivered_total", "events the destination took since the agent started", labels,
                    () -> of.get().map(s -> (double) s.delivered()).orElse(0.0));
            counter("ha_diag_relay_refused_total",
                    "events the destination refused for good since the agent started (skipped, not sent again)", labels,
                    () -> of.get().map(s -> (double) s.refused()).orElse(0.0));
        }
    }

    private void timestamps(String check) {
        lastRun.computeIfAbsent(check, name -> {
            AtomicLong millis = new AtomicLong();
            gauge("ha_diag_check_last_run_timestamp_seconds", "when the check last ran, whatever its result (Unix time; 0: not yet)",
                    Map.of("check", name), () -> millis.get() / 1000.0);
            return millis;
        });
        lastSuccess.computeIfAbsent(check, name -> {
            AtomicLong millis = new AtomicLong();
            gauge("ha_diag_check_last_success_timestamp_seconds",
                    "when the check last completed (ok, warning or error; not skipped or failed; Unix time; 0: not yet)",
                    Map.of("check", name), () -> millis.get() / 1000.0);
            return millis;
        });
    }

    void recordRun(CheckReport report) {
        Map<String, String> labels = Map.of("check", report.check(), "status", report.status().wire());
        durations.computeIfAbsent(report.check() + "\n" + report.status().wire(), key -> {
            Timing timing = new Timing(System::nanoTime);
            register("ha_diag_check_duration_seconds", Type.SUMMARY, "how long check runs take", labels, (out, family, series) -> {
                out.sample(family + "_count", series, timing.count());
                out.sample(family + "_sum", series, timing.sum());
            });
            gauge("ha_diag_check_duration_seconds_max", "how long check runs take", labels, timing::max);
            return timing;
        }).record(report.duration());
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
        emitted.computeIfAbsent(type, name -> {
            DoubleAdder count = new DoubleAdder();
            counter("ha_diag_events_emitted_total", "event files written", Map.of("type", name), count::sum);
            return count;
        }).add(1);
    }

    void recordEventWriteFailure() {
        eventWriteFailures.add(1);
    }

    String scrape() {
        Map<AlertType, Integer> counts = new EnumMap<>(AlertType.class);
        boolean read;
        try {
            alerts.get().forEach(alert -> counts.merge(alert.type(), 1, Integer::sum));
            read = true;
        } catch (RuntimeException e) {
            read = false; // the store is unreadable right now: keep the last counts rather than fail the scrape
        }
        if (read) {
            openAlerts.forEach((type, gauge) -> gauge.set(counts.getOrDefault(type, 0)));
        }
        PrometheusText out = new PrometheusText();
        for (Family family : families.values()) {
            out.family(family.name(), family.type(), family.help());
            for (Labelled series : family.series().values()) {
                series.series().write(out, family.name(), series.labels());
            }
        }
        process.write(out);
        return out.toString();
    }

    @Override
    public void close() {
        // Nothing to release: the series only read the agent's state when scraped.
    }

    private void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        register(name, Type.GAUGE, help, labels, sampled(value));
    }

    private void counter(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        register(name, Type.COUNTER, help, labels, sampled(value));
    }

    /** A value that cannot be read this time (a supplier threw) is NaN, as Micrometer had it: the scrape still answers. */
    private static Series sampled(DoubleSupplier value) {
        return (out, family, labels) -> {
            double sample;
            try {
                sample = value.getAsDouble();
            } catch (RuntimeException e) {
                sample = Double.NaN;
            }
            out.sample(family, labels, sample);
        };
    }

    private void register(String name, Type type, String help, Map<String, String> labels, Series series) {
        Family family = families.computeIfAbsent(name, n -> new Family(n, type, help, new ConcurrentSkipListMap<>()));
        Map<String, String> sorted = new TreeMap<>(labels); // label names in order, as Micrometer wrote them
        family.series().putIfAbsent(sorted.toString(), new Labelled(sorted, series));
    }

    /**
     * A summary's count and sum, and the longest run of the last one to two minutes (a window that moves on each
     * minute: a slow run shows on the dashboard for a while, then goes, as Micrometer's decaying max did).
     */
    static final class Timing {
        private static final long WINDOW = Duration.ofMinutes(1).toNanos();
        private final LongSupplier nanoTime;
        private long count;
        private double sum;
        private double currentMax;
        private double previousMax;
        private long windowStart;

        Timing(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            this.windowStart = nanoTime.getAsLong();
        }

        synchronized void record(Duration duration) {
            double seconds = duration.toNanos() / 1e9;
            rotate();
            count++;
            sum += seconds;
            currentMax = Math.max(currentMax, seconds);
        }

        synchronized long count() {
            return count;
        }

        synchronized double sum() {
            return sum;
        }

        synchronized double max() {
            rotate();
            return Math.max(currentMax, previousMax);
        }

        private void rotate() {
            long elapsed = nanoTime.getAsLong() - windowStart;
            if (elapsed >= 2 * WINDOW) {
                previousMax = 0;
                currentMax = 0;
                windowStart += elapsed / WINDOW * WINDOW;
            } else if (elapsed >= WINDOW) {
                previousMax = currentMax;
                currentMax = 0;
                windowStart += WINDOW;
            }
        }
    }
}
