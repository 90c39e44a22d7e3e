package dev.hadiag.app.bench;

import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.LiveConnectionSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.OkHttpLiveConnection;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 3: how many state_changed frames per second the live connection absorbs, each frame parsed and
 * handed to the watchdog through {@link Diagnostics#onLiveSignal} and, each state change cut down as it is read, to
 * {@link LiveStates} (the stale and flapping detectors), with the watchdog ticking every 200 ms as
 * in the agent. Arguments: HA URL (a {@link SyntheticHaServer} streaming frames), frames expected. Run this
 * JVM on one core ({@code taskset -c 0}); the server runs elsewhere.
 */
public final class WebSocketIntakeRun {

    private WebSocketIntakeRun() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long expected = Long.parseLong(args[1]);
        Path dir = Files.createTempDirectory("ha-diag-intake");
        List<String> events = new CopyOnWriteArrayList<>();
        EventSink sink = event -> events.add(event.type());
        AtomicLong frames = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (SqliteDiagnosticStore store = SqliteDiagnosticStore.open(dir.resolve("intake.db"));
                OkHttpHomeAssistant unused = new OkHttpHomeAssistant(new HaClientSettings(url, SyntheticHomeAssistant.TOKEN));
                OkHttpLiveConnection live = new OkHttpLiveConnection(new HaClientSettings(url, SyntheticHomeAssistant.TOKEN),
                        LiveConnectionSettings.DEFAULTS, Clock.systemUTC())) {
            Diagnostics diagnostics = BenchSupport.unavailableEntities(url, "15m", unused, store, sink);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleWithFixedDelay(diagnostics::tick, 200, 200, TimeUnit.MILLISECONDS);
            // As the agent: every signal to the stale and flapping detectors too (issue 15).
            LiveStates liveStates = new LiveStates(FlapDetector.Settings.DEFAULTS);
            live.start(signal -> {
                liveStates.onSignal(signal);
                diagnostics.onLiveSignal(signal);
                if (signal instanceof LiveSignal.Frame) {
                    long n = frames.incrementAndGet();
                    if (n == 1) {
                        firstNanos.set(System.nanoTime());
                    } else if (n == expected) {
                        done.countDown();
                    }
                }
            });
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + frames.get() + " frames arrived");
            }
            double seconds = (System.nanoTime() - firstNanos.get()) / 1e9;
            ticker.shutdownNow();
            System.out.printf(Locale.ROOT, "%d frames in %.2f s: %.0f frames/s; connected throughout: %s; watchdog events: %s%n",
                    expected, seconds, (expected - 1) / seconds, diagnostics.isWebSocketConnected(), events);
        }
    }
}
