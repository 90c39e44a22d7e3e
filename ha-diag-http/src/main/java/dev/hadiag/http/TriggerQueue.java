package dev.hadiag.http;

import dev.hadiag.core.diagnostics.CheckReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs triggered checks off the HTTP threads, so no number of {@code POST /trigger} can keep
 * {@code /health} waiting. Triggers of one check coalesce: while a run is in progress, every new trigger
 * joins the one run that starts after it (so each caller still gets a result that began after its
 * request), and a burst of any size costs at most two runs. At most {@code maxWaiting} callers wait at
 * once; {@link #submit} refuses the rest at once.
 */
final class TriggerQueue implements AutoCloseable {

    /** Longer than a check takes with HA's default request timeout (30 s). */
    private static final Duration AWAIT_RUNNING = Duration.ofSeconds(60);

    private final Function<String, CheckReport> run;
    private final int maxWaiting;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ha-diag-trigger");
        thread.setDaemon(true);
        return thread;
    });
    /** Per check with a run in progress: the run queued after it, or null until a trigger arrives meanwhile. */
    private final Map<String, CompletableFuture<CheckReport>> queued = new HashMap<>();
    private int waiting;

    TriggerQueue(Function<String, CheckReport> run, int maxWaiting) {
        this.run = run;
        this.maxWaiting = maxWaiting;
    }

    /** The report of a run that starts no earlier than now, or empty when too many callers wait already. */
    synchronized Optional<CompletableFuture<CheckReport>> submit(String check) {
        if (waiting >= maxWaiting) {
            return Optional.empty();
        }
        waiting++;
        CompletableFuture<CheckReport> result;
        if (!queued.containsKey(check)) {
            result = new CompletableFuture<>();
            queued.put(check, null);
            start(check, result);
        } else if (queued.get(check) != null) {
            result = queued.get(check);
        } else {
            result = new CompletableFuture<>();
            queued.put(check, result);
        }
        CompletableFuture<CheckReport> answered = new CompletableFuture<>();
        result.whenComplete((report, failure) -> {
            synchronized (this) {
                waiting--;
            }
            if (failure != null) {
                answered.completeExceptionally(failure);
            } else {
                answered.complete(report);
            }
        });
        return Optional.of(answered);
    }

    synchronized int waiting() {
        return waiting;
    }

    private void start(String check, CompletableFuture<CheckReport> result) {
        runner.execute(() -> {
            try {
                result.complete(run.apply(check));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                finished(check);
            }
        });
    }

    private synchronized void finished(String check) {
        CompletableFuture<CheckReport> next = queued.get(check);
        if (next == null) {
            queued.remove(check);
            return;
        }
        queued.put(check, null);
        start(check, next);
    }

    /**
     * No new runs; the running ones finish (HA's request timeout bounds them) before this returns, so that what
     * they use (the database) can close after. A run still going after {@code await} is interrupted.
     */
    @Override
    public void close() {
        runner.shutdown();
        try {
            if (!runner.awaitTermination(AWAIT_RUNNING.toMillis(), TimeUnit.MILLISECONDS)) {
                runner.shutdownNow();
                runner.awaitTermination(AWAIT_RUNNING.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            runner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
