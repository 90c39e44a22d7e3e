package dev.hadiag.app.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.spi.ThreadPool;

/**
 * Quartz's thread pool for the checks, on threads that sleep until a run is handed to them. Quartz's own
 * {@code SimpleThreadPool} wakes each idle worker every 500 ms to look for work: two wake-ups a second per thread,
 * the largest share of the idle agent's own (docs/performance.md, "Idle CPU"). Quartz sets {@code threadCount} and
 * {@code threadNamePrefix} from its {@code org.quartz.threadPool.*} properties; it never hands over more runs than
 * {@link #blockForAvailableThreads()} said were free, and {@link #runInThread} waits for a free thread if it does.
 */
public final class CheckThreadPool implements ThreadPool {

    private final Object lock = new Object();
    private int threadCount = 1;
    private String threadNamePrefix = "ha-diag-check";
    private ExecutorService executor;
    private int busy; // guarded by lock
    private boolean shutDown; // guarded by lock

    public void setThreadCount(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threadCount must be at least 1");
        }
        this.threadCount = threadCount;
    }

    public void setThreadNamePrefix(String threadNamePrefix) {
        this.threadNamePrefix = threadNamePrefix;
    }

    @Override
    public void initialize() {
        AtomicInteger number = new AtomicInteger();
        // Core threads only, never timed out: an idle one blocks on the queue without a timeout.
        executor = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, threadNamePrefix + "-" + number.incrementAndGet()));
    }

    @Override
    public boolean runInThread(Runnable runnable) {
        synchronized (lock) {
            awaitFreeThread();
            if (shutDown) {
                return false;
            }
            busy++;
        }
        try {
            executor.execute(() -> {
                try {
                    runnable.run();
                } finally {
                    released();
                }
            });
        } catch (RejectedExecutionException stopping) {
            released(); // shut down between the check above and here: the thread it counted on is not taken
            return false;
        }
        return true;
    }

    private void released() {
        synchronized (lock) {
            busy--;
            lock.notifyAll();
        }
    }

    @Override
    public int blockForAvailableThreads() {
        synchronized (lock) {
            awaitFreeThread();
            return shutDown ? 0 : threadCount - busy;
        }
    }

    private void awaitFreeThread() {
        while (busy >= threadCount && !shutDown) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void shutdown(boolean waitForJobsToComplete) {
        synchronized (lock) {
            shutDown = true;
            lock.notifyAll();
        }
        executor.shutdown(); // running checks finish; idle threads end now
        if (waitForJobsToComplete) {
            try {
                while (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                    // as Quartz's own pool: wait for the running ones, however long
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int getPoolSize() {
        return threadCount;
    }

    @Override
    public void setInstanceId(String schedInstId) {
        // one scheduler per agent: nothing to tell apart
    }

    @Override
    public void setInstanceName(String schedName) {
        // the thread names carry the prefix Quartz sets
    }
}
