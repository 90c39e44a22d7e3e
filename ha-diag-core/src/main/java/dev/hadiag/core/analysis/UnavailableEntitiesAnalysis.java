package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
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
 * Root-cause analysis of unavailable entities, in the spec's order: a failed config entry explains its
 * entities; a loaded integration whose enabled entities are all unavailable is one cause; then a device
 * whose enabled entities are all unavailable; what is left is one cause per entity. Returns every
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

    /**
     * @param firstSeen  the baseline of the previous run (entity id → first seen unavailable)
     * @param haStarted  when HA last started, if known: a {@code last_changed} after it is HA's own record
     *                   of when the entity went unavailable, and may be older than the agent's first sight
     */
    public Result analyze(HaSnapshot snapshot, Map<String, Instant> firstSeen, Optional<Instant> haStarted, Instant now) {
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
                if (haStarted.isPresent() && !state.lastChanged().isBefore(haStarted.get()) && state.lastChanged().isBefore(seen)) {
                    seen = state.lastChanged();
                }
                since.put(state.entityId(), seen);
            }
        }

        List<Finding> findings = new ArrayList<>();
        Set<String> explained = new HashSet<>();

        // Level 2: failed config entries, with every entity they own.
        for (ConfigEntry entry : snapshot.configEntries()) {
            if (!isWatchedFailure(entry, settings.ignore())) {
                continue;
            }
            List<String> owned = enabled.keySet().stream()
                    .filter(id -> registry.containsKey(id) && entry.entryId().equals(registry.get(id).configEntryId())).toList();
            explained.addAll(owned);
            findings.add(integrationFailed(entry, owned, now));
        }

        // The candidates: bad, not explained by a failed entry, not ignored.
        Set<String> candidates = new HashSet<>();
        for (String id : since.keySet()) {
            if (!explained.contains(id) && !ignored(id, registry.get(id), devices, entries)) {
                candidates.add(id);
            }
        }

        // Level 3: a loaded config entry whose enabled entities are all bad.
        Map<String, List<String>> byEntry = group(enabled.keySet(), id -> registry.containsKey(id) ? registry.get(id).configEntryId() : "");
        for (Map.Entry<String, List<String>> group : byEntry.entrySet()) {
            ConfigEntry entry = entries.get(group.getKey());
            List<String> affected = entry == null ? List.of() : takeWhollyDown(group.getValue(), since, candidates);
            if (affected.isEmpty()) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("domain", entry.domain());
            details.put("title", entry.title());
            details.put("entity_count", affected.size());
            details.put("restored_placeholders", affected.stream().filter(id -> enabled.get(id).isRestoredPlaceholder()).count());
            putLabels(details, affected, registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause("integration", entry.entryId(), integrationName(entry)),
                    "All " + group.getValue().size() + " entities of integration " + integrationName(entry) + " are unavailable",
                    affected, latest(affected, since), details));
        }

        // Level 4: a physical device whose enabled entities are all bad. Since HA 2026.9 the entities another
        // integration adds to a device sit on a child device (parent_device_id): counted with the parent, as
        // HA before 2026.8 kept them all on one device, so one offline device stays one cause.
        Map<String, List<String>> byDevice = group(enabled.keySet(),
                id -> registry.containsKey(id) ? physicalDevice(registry.get(id).deviceId(), devices) : "");
        for (Map.Entry<String, List<String>> group : byDevice.entrySet()) {
            DeviceRegistryEntry device = devices.get(group.getKey());
            List<String> affected = device == null ? List.of() : takeWhollyDown(group.getValue(), since, candidates);
            if (affected.isEmpty()) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("device", device.displayName());
            details.put("manufacturer", device.manufacturer());
            details.put("model", device.model());
            ConfigEntry owner = entries.get(device.primaryConfigEntry());
            if (owner != null) {
                details.put("integration", owner.domain());
            }
            details.put("entity_count", affected.size());
            putLabels(details, affected, registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause("device", device.id(), device.displayName()),
                    "Device " + device.displayName() + " is offline: all " + group.getValue().size() + " entities unavailable",
                    affected, latest(affected, since), details));
        }

        // Level 5: one cause per remaining entity.
        candidates.stream().sorted().forEach(id -> {
            EntityState state = enabled.get(id);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("state", state.state());
            details.put("restored_placeholder", state.isRestoredPlaceholder());
            putLabels(details, List.of(id), registry);
            findings.add(new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
                    new RootCause("entity", id, state.friendlyName()), state.friendlyName() + " (" + id + ") is " + state.state(),
                    List.of(id), since.get(id), details));
        });

        findings.sort(Comparator.comparing(Finding::alertKey));
        return new Result(findings, since);
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

    private boolean ignored(String entityId, EntityRegistryEntry entry, Map<String, DeviceRegistryEntry> devices,
            Map<String, ConfigEntry> entries) {
        IgnoreRules ignore = settings.ignore();
        if (ignore.ignoresEntity(entityId)) {
            return true;
        }
        if (entry == null) {
            return ignore.ignoresIntegration(entityId.substring(0, Math.max(0, entityId.indexOf('.'))));
        }
        ConfigEntry configEntry = entries.get(entry.configEntryId());
        String domain = configEntry != null ? configEntry.domain() : entry.platform();
        DeviceRegistryEntry device = devices.get(entry.deviceId());
        return ignore.ignoresIntegration(domain) || ignore.ignoresIntegration(entry.platform())
                || (device != null && ignore.ignoresDevice(device.displayName()))
                || ignore.ignoresAnyLabel(entry.labels());
    }

    /** The device itself, or the device it is a child of when HA knows that device. */
    private static String physicalDevice(String deviceId, Map<String, DeviceRegistryEntry> devices) {
        DeviceRegistryEntry device = devices.get(deviceId);
        return device != null && devices.containsKey(device.parentDeviceId()) ? device.parentDeviceId() : deviceId;
    }

    private static Map<String, List<String>> group(Iterable<String> ids, java.util.function.Function<String, String> key) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String id : ids) {
            String k = key.apply(id);
            if (!k.isEmpty()) {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
            }
        }
        return groups;
    }

    /**
     * When every enabled member of a group is bad, the group is the cause: its members still waiting for a
     * cause are taken out of {@code candidates} and returned. Otherwise nothing is taken.
     */
    private static List<String> takeWhollyDown(List<String> members, Map<String, Instant> since, Set<String> candidates) {
        if (!members.stream().allMatch(since::containsKey)) {
            return List.of();
        }
        List<String> affected = members.stream().filter(candidates::contains).toList();
        candidates.removeAll(affected);
        return affected;
    }

    /** A group is down since its last member went down. */
    private static Instant latest(List<String> ids, Map<String, Instant> since) {
        return ids.stream().map(since::get).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** A config entry in a failing state that is neither disabled nor ignored: a level-2 cause. */
    public static boolean isWatchedFailure(ConfigEntry entry, IgnoreRules ignore) {
        return !entry.isDisabled() && entry.state().isFailing() && !ignore.ignoresIntegration(entry.domain());
    }

    /** The level-2 finding of a failed config entry, with HA's reason and the entities it owns. */
    public static Finding integrationFailed(ConfigEntry entry, List<String> owned, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("domain", entry.domain());
        details.put("title", entry.title());
        details.put("state", entry.rawState());
        details.put("reason", entry.reason());
        details.put("entity_count", owned.size());
        String reason = entry.reason().isEmpty() ? "" : ": " + entry.reason();
        return new Finding(AlertType.INTEGRATION_FAILED, Severity.ERROR,
                new RootCause("integration", entry.entryId(), integrationName(entry)),
                "Integration " + integrationName(entry) + " is " + entry.rawState() + reason, owned, now, details);
    }

    private static String integrationName(ConfigEntry entry) {
        return entry.title().isEmpty() || entry.title().equals(entry.domain()) ? entry.domain() : entry.domain() + " (" + entry.title() + ")";
    }
}
