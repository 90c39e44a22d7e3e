package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.stale.ReportingProfile;
import dev.hadiag.core.stale.StaleRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Watched entities that stopped reporting while their state stays valid ({@link StaleRules}). Each run
 * learns from every report it can see: the live stream's {@code state_changed} events since the last run
 * ({@link LiveStates}), and each watched state's {@code last_reported} (HA 2024.4+), else
 * {@code last_updated}, in {@code /api/states}. The learned gaps persist ({@link ReportingHistory}).
 * One {@code ha_entity_stale} per device whose watched entities (at least two) are all stale, else per
 * entity; resolved by {@code ha_entity_reporting}. Nothing watched (the default) costs no call to HA.
 */
public final class StaleEntitiesCheck implements Check {

    /** The measure of how many watched entities are stale now. */
    public static final String STALE_ENTITIES_MEASURE = "stale_entities";

    private record Watched(String name, boolean valid, Instant reportedAt) {
    }

    private final StaleRules rules;
    private final LiveStates live;
    private final ReportingHistory history;
    // Runs of one check never overlap (Diagnostics), so this needs no lock; loaded at the first run.
    private Map<String, ReportingProfile> profiles;

    public StaleEntitiesCheck(StaleRules rules, LiveStates live, ReportingHistory history) {
        this.rules = rules;
        this.live = live;
        this.history = history;
    }

    @Override
    public String name() {
        return BuiltInCheck.STALE_ENTITIES.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        Instant now = context.now();
        if (profiles == null) {
            profiles = new HashMap<>(history.reportingProfiles());
        }
        if (!rules.watchesAnything()) {
            live.watch(Set.of());
            forgetAllBut(Set.of());
            return new CheckOutcome.Completed(List.of(), List.of(), "nothing watched", Map.of(STALE_ENTITIES_MEASURE, 0L));
        }
        Map<String, Watched> watched = new HashMap<>();
        ha.forEachState(state -> {
            if (rules.watches(state)) {
                Instant reported = state.lastReported().isAfter(state.lastUpdated()) ? state.lastReported() : state.lastUpdated();
                watched.put(state.entityId(), new Watched(state.friendlyName(), StaleRules.isValid(state.state()), reported));
            }
        });
        live.watch(watched.keySet());
        learn(watched, live.drainReports());
        forgetAllBut(watched.keySet());

        List<String> stale = watched.keySet().stream().filter(id -> rules.isStale(profiles.get(id), now)).sorted().toList();
        String note = watched.size() + " entities watched, " + stale.size() + " stale";
        Map<String, Long> measures = Map.of(STALE_ENTITIES_MEASURE, (long) stale.size());
        if (stale.isEmpty()) {
            return new CheckOutcome.Completed(List.of(), List.of(), note, measures);
        }
        DeviceGroups groups = new DeviceGroups(ha.registries());
        Set<String> staleSet = new HashSet<>(stale);
        List<String> validWatched = watched.entrySet().stream().filter(e -> e.getValue().valid()).map(Map.Entry::getKey).toList();
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<String>> group : groups.byDevice(validWatched).entrySet()) {
            List<String> staleHere = group.getValue().stream().filter(staleSet::contains).toList();
            DeviceRegistryEntry device = groups.device(group.getKey());
            if (device != null && staleHere.size() >= 2 && staleHere.size() == group.getValue().size()) {
                findings.add(deviceFinding(device, staleHere, now));
            } else {
                staleHere.forEach(id -> findings.add(entityFinding(id, watched.get(id).name(), now)));
            }
        }
        return new CheckOutcome.Completed(findings, List.of(), note, measures);
    }

    private void learn(Map<String, Watched> watched, Map<String, List<LiveStates.Report>> streamed) {
        List<ReportingProfile> changed = new ArrayList<>();
        for (Map.Entry<String, Watched> entry : watched.entrySet()) {
            List<LiveStates.Report> seen = new ArrayList<>(streamed.getOrDefault(entry.getKey(), List.of()));
            seen.sort(Comparator.comparing(LiveStates.Report::at));
            // The snapshot's state last: whether it is valid now is what counts.
            seen.add(new LiveStates.Report(entry.getValue().reportedAt(), entry.getValue().valid()));
            ReportingProfile before = profiles.get(entry.getKey());
            ReportingProfile profile = before;
            for (LiveStates.Report report : seen) {
                profile = profile == null ? ReportingProfile.first(entry.getKey(), report.at()).observe(report.at(), report.valid())
                        : profile.observe(report.at(), report.valid());
            }
            if (!profile.equals(before)) {
                profiles.put(entry.getKey(), profile);
                changed.add(profile);
            }
        }
        if (!changed.isEmpty()) {
            history.saveReportingProfiles(changed, List.of());
        }
    }

    private void forgetAllBut(Set<String> keep) {
        List<String> gone = profiles.keySet().stream().filter(id -> !keep.contains(id)).toList();
        if (!gone.isEmpty()) {
            history.saveReportingProfiles(List.of(), gone);
            gone.forEach(profiles::remove);
        }
    }

    private Finding entityFinding(String entityId, String name, Instant now) {
        ReportingProfile profile = profiles.get(entityId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("entity_id", entityId);
        details.putAll(silence(profile, now));
        return new Finding(AlertType.ENTITY_STALE, AlertType.ENTITY_STALE.defaultSeverity(), new RootCause(RootCause.Kind.ENTITY, entityId, name),
                name + " has not reported for " + Duration.between(profile.lastReport(), now).toSeconds() + " s" + usually(profile),
                List.of(entityId), profile.lastReport(), details);
    }

    private Finding deviceFinding(DeviceRegistryEntry device, List<String> entityIds, Instant now) {
        // The device went silent when its last watched entity did.
        ReportingProfile latest = entityIds.stream().map(profiles::get).max(Comparator.comparing(ReportingProfile::lastReport)).orElseThrow();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("device", device.displayName());
        details.put("manufacturer", device.manufacturer());
        details.put("model", device.model());
        details.put("entity_count", entityIds.size());
        details.putAll(silence(latest, now));
        return new Finding(AlertType.ENTITY_STALE, AlertType.ENTITY_STALE.defaultSeverity(),
                new RootCause(RootCause.Kind.DEVICE, device.id(), device.displayName()), "Device " + device.displayName() + ": none of its "
                + entityIds.size() + " watched entities has reported for " + Duration.between(latest.lastReport(), now).toSeconds() + " s",
                entityIds, latest.lastReport(), details);
    }

    private Map<String, Object> silence(ReportingProfile profile, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("last_reported", profile.lastReport().toString());
        details.put("silent_s", Duration.between(profile.lastReport(), now).toSeconds());
        rules.threshold(profile).ifPresent(t -> details.put("threshold_s", t.toMillis() / 1000.0));
        Optional<Duration> gap = rules.learnedGap(profile);
        details.put("expectation", gap.isPresent() ? "learned" : "max_age");
        gap.ifPresent(g -> details.put("learned_gap_s", g.toMillis() / 1000.0));
        return details;
    }

    private String usually(ReportingProfile profile) {
        return rules.learnedGap(profile).map(g -> " (it reports about every " + g.toMillis() / 1000.0 + " s)").orElse("");
    }
}
