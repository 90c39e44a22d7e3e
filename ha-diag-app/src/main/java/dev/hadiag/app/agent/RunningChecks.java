package dev.hadiag.app.agent;

import dev.hadiag.http.AgentView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog of the checks: which check is running, since when, on which thread. A run that has lasted longer than
 * its bound is stuck, whatever holds it (a bug, a hung disk, a runaway match): {@code /health} fails naming it, the
 * metric shows how long it has run, and the log says so once, with where its thread is. Without this a stuck check
 * looked healthy: {@code /health} answered 200 while no check ran (issue 24).
 *
 * <p>The bound is the longer of the check's interval and HA's request timeout, plus the request timeout: a run that is
 * waiting for HA within the request timeout is not stuck (HA's slowness is the heartbeat's and the WebSocket's to
 * report), and one that is on time has started its last request before its interval was up.
 */
final class RunningChecks {

    static final String COMPONENT = "checks";
    private static final Logger LOG = LoggerFactory.getLogger(RunningChecks.class);
    /** Frames of a stuck thread the log shows: enough to see the loop, not a page of Quartz. */
    private static final int FRAMES = 12;

    private record Run(Thread thread, Instant since, Duration bound) {
    }

    private final String what;
    private final Function<String, Duration> bounds;
    private final Clock clock;
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    /** The runs already logged as stuck, so a run stuck for an hour is one log line, not one a scan. */
    private final Map<String, Run> reported = new ConcurrentHashMap<>();
    /** Where each run's scan at its bound waits, or null: the caller calls {@link #scan} itself. */
    private final ScheduledExecutorService scanner;
    /** The scan armed for each check's current run, cancelled when the run ends; a late one finds its run gone. */
    private final Map<String, ScheduledFuture<?>> alarms = new ConcurrentHashMap<>();

    /** @param bounds each check's bound; see the class comment ({@link #bound}) */
    RunningChecks(Function<String, Duration> bounds, Clock clock) {
        this("check ", bounds, clock, null);
    }

    /**
     * Runs of something else the agent must not lose (the WebSocket watchdog's tick: stuck, no dead verdict is ever
     * reached), named {@code what + name} in {@code /health} and the log.
     *
     * @param scanner where each run's log line is armed for the moment it outlives its bound (rather than a scan every
     *                second: {@code /health} and the metrics need none, they look when asked); null: the caller scans
     */
    RunningChecks(String what, Function<String, Duration> bounds, Clock clock, ScheduledExecutorService scanner) {
        this.what = what;
        this.bounds = bounds;
        this.clock = clock;
        this.scanner = scanner;
    }

    static Duration bound(Duration interval, Duration requestTimeout) {
        return (interval.compareTo(requestTimeout) >= 0 ? interval : requestTimeout).plus(requestTimeout);
    }

    /** Runs {@code run} as the current run of {@code check}. */
    <T> T observe(String check, Supplier<T> run) {
        Run current = new Run(Thread.currentThread(), clock.instant(), bounds.apply(check));
        // Runs of one check never overlap (the schedule's rule), but a trigger may run one beside the schedule's: the
        // older one stays the one watched until it ends.
        Run older = running.putIfAbsent(check, current);
        if (older == null) {
            arm(check, current, current.bound());
        }
        try {
            return run.get();
        } finally {
            if (older == null) {
                running.remove(check, current);
                disarm(check);
                ended();
                if (reported.remove(check, current)) {
                    LOG.info("{}{} finished after {} s; it was stuck", what, check, Duration.between(current.since(), clock.instant()).toSeconds());
                }
            }
        }
    }

    /** The stuck runs, as {@code /health} shows them. */
    List<AgentView.Problem> problems() {
        Instant now = clock.instant();
        return running.entrySet().stream().filter(entry -> stuck(entry.getValue(), now)).sorted(Map.Entry.comparingByKey())
                .map(entry -> new AgentView.Problem(COMPONENT, describe(entry.getKey(), entry.getValue(), now), entry.getValue().since()))
                .toList();
    }

    /** How long each check's current run has taken; a check not running is absent. */
    Map<String, Duration> runningFor() {
        Instant now = clock.instant();
        return running.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Duration.between(e.getValue().since(), now)));
    }

    /** Logs each run that became stuck since the last scan, once, with its thread's stack. */
    void scan() {
        Instant now = clock.instant();
        running.forEach((check, run) -> {
            if (stuck(run, now) && reported.put(check, run) != run) {
                String stack = Arrays.stream(run.thread().getStackTrace()).limit(FRAMES).map(frame -> "\n\tat " + frame)
                        .collect(Collectors.joining());
                LOG.error("{}; its thread {} is at:{}", describe(check, run, now), run.thread().getName(), stack);
            }
        });
    }

    /** Whether the log has named this check's current run as stuck (what the armed scan does at the bound). */
    boolean reportedStuck(String check) {
        Run run = running.get(check);
        return run != null && reported.get(check) == run;
    }

    /** Scans when {@code run} outlives its bound; the scan is the same as {@link #scan}'s, so a run is logged once. */
    private void arm(String check, Run run, Duration after) {
        if (scanner == null) {
            return;
        }
        try {
            // A millisecond past the bound: stuck means longer than it.
            ScheduledFuture<?> alarm = scanner.schedule(() -> atBound(check, run), after.toMillis() + 1, TimeUnit.MILLISECONDS);
            alarms.put(check, alarm);
            if (running.get(check) != run && alarms.remove(check, alarm)) {
                alarm.cancel(false); // the run ended while this was being armed
            }
        } catch (RejectedExecutionException stopping) {
            // the agent is stopping: nothing is logged as stuck any more
        }
    }

    private void atBound(String check, Run run) {
        if (running.get(check) != run) {
            return; // ended meanwhile
        }
        Instant now = clock.instant();
        if (stuck(run, now)) {
            scan();
        } else {
            // The executor's clock ran ahead of the agent's (a wall-clock step back): armed again for what is left.
            Duration left = run.bound().minus(Duration.between(run.since(), now));
            arm(check, run, left.isNegative() ? Duration.ZERO : left);
        }
    }

    private void disarm(String check) {
        ScheduledFuture<?> alarm = alarms.remove(check);
        if (alarm != null) {
            alarm.cancel(false);
        }
    }

    /** Waits up to {@code grace} for every running check to finish; the ones still running then. */
    synchronized List<String> awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (long left = grace.toNanos(); !running.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return running.keySet().stream().sorted().toList();
    }

    private synchronized void ended() {
        notifyAll();
    }

    private static boolean stuck(Run run, Instant now) {
        return Duration.between(run.since(), now).compareTo(run.bound()) > 0;
    }

    private String describe(String check, Run run, Instant now) {
        return what + check + " has been running for " + Duration.between(run.since(), now).toSeconds() + " s (bound "
                + run.bound().toSeconds() + " s): stuck";
    }
}
