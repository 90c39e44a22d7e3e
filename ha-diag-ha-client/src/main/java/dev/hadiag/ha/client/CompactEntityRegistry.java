package dev.hadiag.ha.client;

import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The entity registry as the port gives it, built from HA's compact display list
 * ({@code config/entity_registry/list_for_display}): about a fifth of the full list's bytes, which is what
 * lets a 50,000-entity registry be read in a 64 MB heap (docs/performance.md, figure 2).
 *
 * <p>The display list has no {@code config_entry_id}. An entity's config entry is always of the entity's
 * integration (its platform), so it is resolved without asking HA where that is certain: no config entry of
 * that integration means none; an entity on a device with exactly one config entry of that integration has
 * that one. Every other entity (no device while its integration has config entries, which is also how a
 * YAML-defined entity looks; a device with several such entries; a device not in the device registry) is
 * asked for by id ({@code config/entity_registry/get_entries}), so the result is the full list's.
 *
 * <p>The display list leaves disabled entities out: HA removes a disabled entity's state, so an entity that is
 * not there is one the analysis never sees, as with a disabled entry.
 */
final class CompactEntityRegistry {

    /** One entry of the display list: {@code ei}, {@code pl}, {@code di}, {@code lb}, {@code en}. */
    record DisplayEntry(String entityId, String platform, String deviceId, List<String> labels, String name) {
    }

    static final HaJson.ElementMapper<DisplayEntry> DISPLAY_ENTRY = (entry, at) -> new DisplayEntry(
            HaJson.text(entry, "ei", at), HaJson.optionalText(entry, "pl"), HaJson.optionalText(entry, "di"),
            HaJson.texts(entry.path("lb")), HaJson.optionalText(entry, "en"));

    private CompactEntityRegistry() {
    }

    /**
     * @param exact the full entries of the given entity ids (an id HA no longer knows is left out)
     */
    static List<EntityRegistryEntry> resolve(List<DisplayEntry> display, List<ConfigEntry> configEntries,
            List<DeviceRegistryEntry> devices, Function<List<String>, Map<String, EntityRegistryEntry>> exact) {
        Map<String, Set<String>> entriesByDomain = configEntries.stream().collect(
                Collectors.groupingBy(ConfigEntry::domain, Collectors.mapping(ConfigEntry::entryId, Collectors.toSet())));
        Map<String, DeviceRegistryEntry> devicesById = new HashMap<>();
        devices.forEach(device -> devicesById.put(device.id(), device));

        List<EntityRegistryEntry> resolved = new ArrayList<>(display.size());
        List<String> ask = new ArrayList<>();
        for (DisplayEntry entry : display) {
            Set<String> candidates = entriesByDomain.getOrDefault(entry.platform(), Set.of());
            String configEntryId = candidates.isEmpty() ? "" : fromDevice(entry, candidates, devicesById);
            if (configEntryId == null) {
                ask.add(entry.entityId());
            } else {
                resolved.add(new EntityRegistryEntry(entry.entityId(), entry.platform(), configEntryId, entry.deviceId(),
                        "", "", "", entry.name(), entry.labels()));
            }
        }
        if (!ask.isEmpty()) {
            Map<String, EntityRegistryEntry> asked = exact.apply(ask);
            ask.stream().map(asked::get).filter(java.util.Objects::nonNull).forEach(resolved::add);
        }
        return resolved;
    }

    /** The one candidate the entity's device holds, or null when the device cannot tell. */
    private static String fromDevice(DisplayEntry entry, Set<String> candidates, Map<String, DeviceRegistryEntry> devices) {
        DeviceRegistryEntry device = entry.deviceId().isEmpty() ? null : devices.get(entry.deviceId());
        if (device == null) {
            return null;
        }
        String held = null;
        for (String configEntry : device.configEntries()) {
            if (candidates.contains(configEntry)) {
                if (held != null) {
                    return null;
                }
                held = configEntry;
            }
        }
        return held;
    }
}
