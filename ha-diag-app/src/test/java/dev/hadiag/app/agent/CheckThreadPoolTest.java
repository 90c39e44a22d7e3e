package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckThreadPoolTest {

    private static CheckThreadPool pool(int threads) {
        CheckThreadPool pool = new CheckThreadPool();
        pool.setThreadCount(threads);
        pool.setThreadNamePrefix("pool-test");
        pool.initialize();
        return pool;
    }

    @Test
    void never_runs_more_at_once_than_it_has_threads_and_says_how_many_are_free() throws Exception {
        CheckThreadPool pool = pool(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        assertThat(pool.blockForAvailableThreads()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(pool.runInThread(() -> {
                running.incrementAndGet();
                waitFor(release);
            })).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 2);
        Thread third = new Thread(() -> pool.runInThread(running::incrementAndGet));
        third.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> third.getState() == Thread.State.WAITING);
        assertThat(running.get()).as("the third waits for a free thread").isEqualTo(2);

        release.countDown();
        third.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.blockForAvailableThreads() == 2);
        pool.shutdown(true);
    }

    @Test
    void after_shutdown_it_refuses_new_runs_lets_the_running_one_finish_and_its_threads_end() throws Exception {
        CheckThreadPool pool = pool(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        pool.runInThread(() -> {
            started.countDown();
            waitFor(release);
            finished.incrementAndGet();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread stopper = new Thread(() -> pool.shutdown(true));
        stopper.start();
        assertThat(pool.runInThread(finished::incrementAndGet)).isFalse();
        assertThat(pool.blockForAvailableThreads()).isZero();
        release.countDown();
        stopper.join(10_000);
        assertThat(stopper.isAlive()).isFalse();
        assertThat(finished.get()).isEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pool-test") && t.isAlive());
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
