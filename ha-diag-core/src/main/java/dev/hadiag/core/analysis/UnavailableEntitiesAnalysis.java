package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Root-cause analysis of unavailable entities, in the order of docs/checks.md: a failed config entry explains its
 * entities; an integration (config entry) whose enabled entities are all unavailable is one cause; then a hub whose
 * devices are all down ({@link HubCauses}); then a device whose enabled entities are all unavailable; what is
 * left is one cause per entity. Returns every
 * current cause with when it began; thresholds are the lifecycle's minimum durations.
 */
public final class UnavailableEntitiesAnalysis {

    /**
     * @param unknownCountsFor domains whose {@code unknown} state counts as unavailable (by default none:
     *                         {@code unknown} means "answering, no value yet")
     */
    public record Settings(IgnoreRules ignore, Set<String> unknownCountsFor) {
        public Settings {
            unknownCountsFor = Set.copyOf(unknownCountsFor);
        }

        public static final Settings DEFAULTS = new Settings(IgnoreRules.NONE, Set.of());
    }

    /**
     * @param findings         every current root cause
     * @param unavailableSince since when each unavailable entity is unavailable: the baseline to persist
     */
    public record Result(List<Finding> findings, Map<String, Instant> unavailableSince) {
        public Result {
            findings = List.copyOf(findings);
            unavailableSince = Map.copyOf(unavailableSince);
        }
    }

    private final Settings settings;

    public UnavailableEntitiesAnalysis(Settings settings) {
        this.settings = settings;
    }

    /** @param firstSeen the baseline of the previous run (entity id → first seen unavailable) */
    public Result analyze(HaSnapshot snapshot, Map<String, Instant> firstSeen, Instant now) {
        return result(snapshot, firstSeen, null, now);
    }

    /**
     * @param haStarted when HA last started: a {@code last_changed} after it is HA's own record of when the
     *                  entity went unavailable, and may be older than the agent's first sight
     */
    public Result analyze(HaSnapshot snapshot, Map<String, Instant> firstSeen, Instant haStarted, Instant now) {
        if (haStarted == null) {
            throw new IllegalArgumentException("haStarted is required here; leave it out when it is not known");
        }
        return result(snapshot, firstSeen, haStarted, now);
    }

    /** @param haStarted null when not known */
    private Result result(HaSnapshot snapshot, Map<String, Instant> firstSeen, Instant haStarted, Instant now) {
        Map<String, EntityRegistryEntry> registry = new HashMap<>();
        snapshot.entities().forEach(e -> registry.put(e.entityId(), e));
        Map<String, DeviceRegistryEntry> devices = new HashMap<>();
        snapshot.devices().forEach(d -> devices.put(d.id(), d));
        Map<String, ConfigEntry> entries = new HashMap<>();
        snapshot.configEntries().forEach(e -> entries.put(e.entryId(), e));

        // Every enabled entity with a state, and since when the bad ones are bad.
        Map<String, EntityState> enabled = new LinkedHashMap<>();
        Map<String, Instant> since = new HashMap<>();
        for (EntityState state : snapshot.states()) {
            EntityRegistryEntry entry = registry.get(state.entityId());
            if (entry != null && entry.isDisabled()) {
                continue;
            }
            enabled.put(state.entityId(), state);
            if (isBad(state)) {
                Instant seen = firstSeen.getOrDefault(state.entityId(), now);
                if (haStarted != null && !state.lastChanged().isBefore(haStarted) && state.lastChanged().isBefore(seen)) {
                    seen = state.lastChanged();
                }
                since.put(state.entityId(), seen);
            }
        }

        List<Finding> findings = new ArrayList<>();
        Set<String> explained = new HashSet<>();

        // Level 2: failed config entries, with every entity they own.
        for (ConfigEntry entry : snapshot.configEntries()) {
            if (!Integrations.isWatchedFailure(entry, settings.ignore())) {
                continue;
            }
            List<String> owned = enabled.keySet().stream()
                    .filter(id -> registry.containsKey(id) && entry.entryId().equals(registry.get(id).configEntryId())).toList();
            explained.addAll(owned);
            findings.add(Integrations.failed(entry, owned, now));
        }

        // The candidates: bad, not explained by a failed entry, not ignored.
        Set<String> candidates = new HashSet<>();
        for (String id : since.keySet()) {
            if (!explained.contains(id) && !settings.ignore().ignoresEntity(id, registry.get(id), devices, entries)) {
                candidates.add(id);
            }
        }

        WhollyDownGroups levels = new WhollyDownGroups(enabled.keySet(), since, candidates);

        // Level 3: a config entry HA knows whose enabled entities are all bad (its state is not checked: a
        // failing one was level 2 already).
        for (WhollyDownGroups.Group group : levels.claim(
                id -> registry.containsKey(id) ? registry.get(id).configEntryId() : "", entries::containsKey)) {
            ConfigEntry entry = entries.get(group.key());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("domain", entry.domain());
            details.put("title", entry.title());
            details.put("entity_count", group.affected().size());
            details.put("restored_placeholders", group.affected().stream().filter(id -> enabled.get(id).isRestoredPlaceholder()).count());
            putLabels(details, group.affected(), registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause(RootCause.Kind.INTEGRATION, entry.entryId(), Integrations.name(entry)),
                    "All " + group.size() + " entities of integration " + Integrations.name(entry) + " are unavailable",
                    group.affected(), group.since(), details));
        }

        // A newer HA puts the entities another integration adds to a device on a child device (parent_device_id):
        // counted with the parent, as older ones kept them all on one device, so one offline device stays one cause.
        Function<String, String> physical = id -> registry.containsKey(id) ? DeviceRegistryEntry.physicalDeviceId(registry.get(id).deviceId(), devices) : "";

        // Level 3b: a hub (via_device_id) whose devices are all down.
        Map<String, List<String>> byDevice = WhollyDownGroups.byKey(enabled.keySet(), physical);
        findings.addAll(HubCauses.take(devices, byDevice, since, candidates, entries));

        // Level 4: a physical device whose enabled entities are all bad.
        for (WhollyDownGroups.Group group : levels.claim(byDevice, physical, devices::containsKey)) {
            DeviceRegistryEntry device = devices.get(group.key());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("device", device.displayName());
            details.put("manufacturer", device.manufacturer());
            details.put("model", device.model());
            ConfigEntry owner = entries.get(device.primaryConfigEntry());
            if (owner != null) {
                details.put("integration", owner.domain());
            }
            details.put("entity_count", group.affected().size());
            putLabels(details, group.affected(), registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause(RootCause.Kind.DEVICE, device.id(), device.displayName()),
                    "Device " + device.displayName() + " is offline: all " + group.size() + " entities unavailable",
                    group.affected(), group.since(), details));
        }

        // Level 5: one cause per remaining entity.
        candidates.stream().sorted().forEach(id -> {
            EntityState state = enabled.get(id);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", state.state());
            details.put("restored_placeholder", state.isRestoredPlaceholder());
            putLabels(details, List.of(id), registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause(RootCause.Kind.ENTITY, id, state.friendlyName()), state.friendlyName() + " (" + id + ") is " + state.state(),
                    List.of(id), since.get(id), details));
        });

        // Each key built once, not once per comparison: with 5,000 causes the sort alone built 130,000 of them.
        List<Finding> sorted = findings.stream().map(finding -> Map.entry(finding.alertKey(), finding))
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        return new Result(sorted, since);
    }

    /** The HA labels of the affected entities, when they have any: what a silence's {@code label} matcher sees. */
    private static void putLabels(Map<String, Object> details, List<String> affected, Map<String, EntityRegistryEntry> registry) {
        List<String> labels = affected.stream().filter(registry::containsKey).flatMap(id -> registry.get(id).labels().stream())
                .distinct().sorted().toList();
        if (!labels.isEmpty()) {
            details.put("labels", labels);
        }
    }

    private boolean isBad(EntityState state) {
        return state.isUnavailable() || (EntityState.UNKNOWN.equals(state.state()) && settings.unknownCountsFor().contains(state.domain()));
    }
}
