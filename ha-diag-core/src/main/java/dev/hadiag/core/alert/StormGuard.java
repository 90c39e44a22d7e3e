package dev.hadiag.core.alert;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, per run, which of the lifecycle's decisions are written: one run never writes more than
 * {@code maxEventsPerRun} openings of one alert type. The openings beyond it are <em>held</em>: tracked as
 * open alerts like any other (so resolutions and absorption stay correct) but never written, and one
 * {@code ha_alert_storm} alert says so, with counts per root-cause kind and the first held keys. An alert
 * whose opening was not written never has a repeat or a resolution written either (the delivery stage's
 * {@code Withheld} record sees to that): a reader must never see a resolution of something it was not told
 * about. The storm alert is resolved once a run of its type opens no more than the limit and no more than the
 * limit of that type are open.
 *
 * <p>Pure: it takes the run's decisions and plain counts and returns a {@link Plan}, which the delivery stage applies
 * as the first of its holding rules.
 */
public final class StormGuard {

    public static final int DEFAULT_MAX_EVENTS_PER_RUN = 50;
    /** How many held alert keys the storm event lists. */
    public static final int FIRST_KEYS = 20;
    /** A guard that never holds an opening (library use and tests of other rules). */
    public static final StormGuard UNLIMITED = new StormGuard(Integer.MAX_VALUE);

    private final int maxEventsPerRun;

    public StormGuard(int maxEventsPerRun) {
        if (maxEventsPerRun < 1) {
            throw new IllegalArgumentException("max events per run must be at least 1");
        }
        this.maxEventsPerRun = maxEventsPerRun;
    }

    public int maxEventsPerRun() {
        return maxEventsPerRun;
    }

    /**
     * What to do with one run's decisions.
     *
     * @param held    alert keys of the openings beyond the limit: recorded in the store, not written
     * @param started the storms this run starts: each becomes one {@code ha_alert_storm} opening
     * @param ended   the alert types whose open storm this run resolves
     */
    public record Plan(Set<String> held, List<Storm> started, List<AlertType> ended) {
        public Plan {
            held = Set.copyOf(held);
            started = List.copyOf(started);
            ended = List.copyOf(ended);
        }
    }

    /**
     * A storm of openings of one type in one run.
     *
     * @param openings every opening of the type in the run
     * @param byKind   the openings per root-cause kind ({@code entity}: 4,990, {@code device}: 10)
     * @param firstHeldKeys the first {@value #FIRST_KEYS} held alert keys, in the run's order
     */
    public record Storm(AlertType type, int limit, int openings, Map<String, Integer> byKind, List<String> firstHeldKeys) {
        public Storm {
            byKind = Map.copyOf(byKind);
            firstHeldKeys = List.copyOf(firstHeldKeys);
        }

        public int written() {
            return Math.min(limit, openings);
        }

        public int held() {
            return openings - written();
        }

        /** The alert key of the storm of {@code type}: one per alert type. */
        public static String alertKey(AlertType type) {
            return AlertKey.format(AlertType.ALERT_STORM, rootCause(type));
        }

        static RootCause rootCause(AlertType type) {
            return new RootCause(RootCause.Kind.STORM, type.type(), "Storm of " + type.type() + " alerts");
        }

        /** The storm as the finding its opening event carries. */
        public Finding finding(Instant now) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("alert_type", type.type());
            details.put("max_events_per_run", limit);
            details.put("openings", openings);
            details.put("written", written());
            details.put("held", held());
            details.put("by_kind", new TreeMap<>(byKind));
            details.put("first_held_keys", firstHeldKeys);
            return new Finding(AlertType.ALERT_STORM, Severity.WARNING, rootCause(type),
                    openings + " " + type.type() + " alerts opened in one run: " + written() + " written, " + held()
                            + " held (alerts.max_events_per_run = " + limit + ")",
                    List.of(), now, details);
        }
    }

    /**
     * @param decisions   the run's decisions, in the order they would be written
     * @param openStorms  the alert types with an open storm
     * @param openAfter   how many alerts of each type are open once this run's decisions are recorded
     */
    public Plan plan(List<AlertDecision> decisions, Set<AlertType> openStorms, Map<AlertType, Integer> openAfter) {
        Set<String> held = new HashSet<>();
        Map<AlertType, Integer> openings = new EnumMap<>(AlertType.class);
        Map<AlertType, Map<String, Integer>> byKind = new EnumMap<>(AlertType.class);
        Map<AlertType, List<String>> firstHeld = new EnumMap<>(AlertType.class);
        for (AlertDecision decision : decisions) {
            if (decision instanceof AlertDecision.Open open) {
                AlertType type = open.finding().type();
                int n = openings.merge(type, 1, Integer::sum);
                byKind.computeIfAbsent(type, t -> new TreeMap<>()).merge(open.finding().rootCause().kind().wire(), 1, Integer::sum);
                if (n > maxEventsPerRun) {
                    held.add(decision.alertKey());
                    List<String> first = firstHeld.computeIfAbsent(type, t -> new ArrayList<>());
                    if (first.size() < FIRST_KEYS) {
                        first.add(decision.alertKey());
                    }
                }
            }
        }
        List<Storm> started = new ArrayList<>();
        openings.forEach((type, n) -> {
            if (n > maxEventsPerRun && !openStorms.contains(type)) {
                started.add(new Storm(type, maxEventsPerRun, n, byKind.get(type), firstHeld.get(type)));
            }
        });
        List<AlertType> ended = openStorms.stream().sorted()
                .filter(type -> openings.getOrDefault(type, 0) <= maxEventsPerRun && openAfter.getOrDefault(type, 0) <= maxEventsPerRun)
                .toList();
        return new Plan(held, started, ended);
    }
}
