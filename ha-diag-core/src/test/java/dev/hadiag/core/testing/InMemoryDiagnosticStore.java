package dev.hadiag.core.testing;

import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import java.util.ArrayList;
import java.util.Comparator;
import dev.hadiag.core.port.DiagnosticStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link DiagnosticStore} for the pure core's unit tests. */
public final class InMemoryDiagnosticStore implements DiagnosticStore {

    private final Map<String, OpenAlert> open = new LinkedHashMap<>();
    private final Map<String, Map<String, Instant>> firstSeen = new HashMap<>();
    private final List<CheckRun> runs = new ArrayList<>();

    @Override
    public synchronized List<OpenAlert> openAlerts(String check) {
        return open.values().stream().filter(a -> a.check().equals(check)).toList();
    }

    @Override
    public synchronized List<OpenAlert> allOpenAlerts() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized Optional<OpenAlert> openAlert(String alertKey) {
        return Optional.ofNullable(open.get(alertKey));
    }

    @Override
    public synchronized void saveOpenAlert(OpenAlert alert) {
        open.put(alert.alertKey(), alert);
    }

    @Override
    public synchronized void closeAlert(String alertKey, Instant resolvedAt) {
        open.remove(alertKey);
    }

    @Override
    public synchronized Map<String, Instant> firstSeen(String scope) {
        return Map.copyOf(firstSeen.getOrDefault(scope, Map.of()));
    }

    @Override
    public synchronized void replaceFirstSeen(String scope, Map<String, Instant> values) {
        firstSeen.put(scope, Map.copyOf(values));
    }

    @Override
    public synchronized void recordCheckRun(CheckRun run) {
        runs.add(run);
    }

    @Override
    public synchronized List<CheckRun> recentRuns(String check, int limit) {
        return runs.stream().filter(r -> r.check().equals(check))
                .sorted(Comparator.comparing(CheckRun::startedAt).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized void pruneHistory(Instant before) {
        runs.removeIf(r -> r.startedAt().isBefore(before));
    }
}
