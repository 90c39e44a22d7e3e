package dev.hadiag.app.bench;

import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 9: what the {@code unavailable_entities} baseline costs a warm cycle in SQLite when many entities
 * are down and stay down: the read of the first-seen times and their write back, unchanged. Arguments:
 * entities down (default 5000), cycles per round (default 10).
 */
public final class BaselineWriteRun {

    private BaselineWriteRun() {
    }

    public static void main(String[] args) throws Exception {
        int down = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("ha-diag-baseline");
        try (SqliteDiagnosticStore store = SqliteDiagnosticStore.open(dir.resolve("bench.db"))) {
            Map<String, Instant> firstSeen = new HashMap<>();
            Instant since = Instant.parse("2026-11-24T00:00:00Z");
            for (int i = 0; i < down; i++) {
                firstSeen.put("sensor.orphan_" + i, since);
            }
            for (int round = 1; round <= 5; round++) {
                long started = System.nanoTime();
                for (int i = 0; i < cycles; i++) {
                    store.unavailableSince();
                    store.replaceUnavailableSince(firstSeen);
                }
                System.out.printf(Locale.ROOT, "round %d: %d entities down, %.1f ms per cycle%n", round, down,
                        (System.nanoTime() - started) / 1e6 / cycles);
            }
        }
    }
}
