package dev.hadiag.app.bench;

import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Figures 2 and 6: runs the {@code unavailable_entities} cycle against a synthetic HA in another process
 * (so its payloads do not count against this heap) and prints the peak heap, each run's time, and how many
 * event files were written. Arguments: HA URL, runs, threshold ({@code 0s} or {@code 15m}).
 */
public final class CycleRun {

    private CycleRun() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int runs = Integer.parseInt(args[1]);
        String threshold = args.length > 2 ? args[2] : "15m";
        Path dir = Files.createTempDirectory("ha-diag-cycle");
        Path events = dir.resolve("events");
        try (OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(url, SyntheticHomeAssistant.TOKEN));
                SqliteDiagnosticStore store = SqliteDiagnosticStore.open(dir.resolve("cycle.db"))) {
            Diagnostics diagnostics = BenchSupport.unavailableEntities(url, threshold, client, store, FileSystemEventSink.open(events));
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            for (int i = 1; i <= runs; i++) {
                CheckReport report = diagnostics.run(BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
                System.out.printf(Locale.ROOT, "run %d: %s, %d root causes, %d events, %d ms%n", i, report.status().wire(),
                        report.findings().size(), report.eventsEmitted(), report.duration().toMillis());
            }
        }
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long files;
        try (Stream<Path> walk = Files.exists(events) ? Files.walk(events) : Stream.empty()) {
            files = walk.filter(p -> p.toString().endsWith(".json")).count();
        }
        System.out.printf(Locale.ROOT, "max heap %d MB, peak heap used (sum of pool peaks) %.1f MB, event files %d%n",
                Runtime.getRuntime().maxMemory() / (1024 * 1024), peak / (1024.0 * 1024), files);
    }
}
