package dev.hadiag.app.bench;

import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure 9: the warm {@code unavailable_entities} cycle against a bare fetch + parse, in one JVM, on a real HA
 * with many separate root causes ({@code bench_ha_cost.py --causes} sets it up). The threshold is {@code 0s}, so
 * the first (cold) cycle opens every cause's alert; the measured ones find them open, as the agent's every
 * later minute does. Each round times three things, one after the other: {@code states} (GET /api/states
 * parsed into {@code EntityState}s and nothing else), {@code all} (the same plus both registries and the config
 * entries: everything the cycle downloads) and {@code cycle}. Arguments: HA URL, token, rounds (default 10),
 * runs of each per round (default 3). Prints each round's milliseconds per run, then the medians and ratios.
 */
public final class ManyCausesRun {

    private static final int WARM_UP_ROUNDS = 3;

    private ManyCausesRun() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("ha-diag-causes");
        try (OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(url, new AccessToken(token)));
                SqliteDiagnosticStore store = SqliteDiagnosticStore.open(dir.resolve("causes.db"))) {
            Diagnostics diagnostics = BenchSupport.unavailableEntities(url, token, "0s", client, store,
                    FileSystemEventSink.open(dir.resolve("events")));
            CheckReport cold = cycle(diagnostics);
            System.out.printf(Locale.ROOT, "cold cycle: %d root causes, %d event files, %d ms%n", cold.findings().size(),
                    cold.eventsEmitted(), cold.duration().toMillis());
            AtomicLong states = new AtomicLong();
            Runnable bare = () -> client.forEachState(state -> states.incrementAndGet());
            Runnable all = () -> {
                client.registries();
                client.forEachState(state -> states.incrementAndGet());
            };
            Runnable warm = () -> {
                CheckReport report = cycle(diagnostics);
                if (report.eventsEmitted() != 0) {
                    throw new IllegalStateException("a warm cycle wrote " + report.eventsEmitted() + " events");
                }
            };
            List<double[]> measured = new ArrayList<>();
            for (int round = 1; round <= WARM_UP_ROUNDS + rounds; round++) {
                double[] ms = {time(bare, runs), time(all, runs), time(warm, runs)};
                boolean warmingUp = round <= WARM_UP_ROUNDS;
                if (!warmingUp) {
                    measured.add(ms);
                }
                System.out.printf(Locale.ROOT, "%s %d: states %.1f ms, all %.1f ms, cycle %.1f ms (cycle / states %.2f, / all %.2f)%n",
                        warmingUp ? "warm-up" : "round", warmingUp ? round : round - WARM_UP_ROUNDS, ms[0], ms[1], ms[2],
                        ms[2] / ms[0], ms[2] / ms[1]);
            }
            double bareMs = median(measured, 0);
            double allMs = median(measured, 1);
            double cycleMs = median(measured, 2);
            System.out.printf(Locale.ROOT, "%d states per fetch, %d root causes; medians of %d rounds: states %.1f ms, all %.1f ms, "
                    + "cycle %.1f ms; cycle / states %.2f, cycle / all %.2f%n", states.get() / ((long) (WARM_UP_ROUNDS + rounds) * runs * 2),
                    cold.findings().size(), rounds, bareMs, allMs, cycleMs, cycleMs / bareMs, cycleMs / allMs);
        }
    }

    private static CheckReport cycle(Diagnostics diagnostics) {
        CheckReport report = diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        if (report.status() == CheckStatus.FAILED || report.status() == CheckStatus.SKIPPED) {
            throw new IllegalStateException("cycle did not run: " + report.reason());
        }
        return report;
    }

    private static double time(Runnable work, int runs) {
        long started = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            work.run();
        }
        return (System.nanoTime() - started) / 1e6 / runs;
    }

    private static double median(List<double[]> rounds, int column) {
        double[] values = rounds.stream().mapToDouble(ms -> ms[column]).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
