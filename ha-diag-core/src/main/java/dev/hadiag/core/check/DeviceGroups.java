package dev.hadiag.core.check;

import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registries as the stream-fed checks (stale, flapping) group entities: by the physical device (a child
 * device of HA 2026.9+ counts with its parent, as in the unavailable analysis), read only when a check has
 * something to group.
 */
final class DeviceGroups {

    private final Map<String, EntityRegistryEntry> entities = new HashMap<>();
    private final Map<String, DeviceRegistryEntry> devices = new HashMap<>();

    DeviceGroups(HaRegistries registries) {
        registries.entities().forEach(e -> entities.put(e.entityId(), e));
        registries.devices().forEach(d -> devices.put(d.id(), d));
    }

    /** The physical device of an entity, if the registry has one. */
    Optional<DeviceRegistryEntry> deviceOf(String entityId) {
        EntityRegistryEntry entry = entities.get(entityId);
        return entry == null ? Optional.empty()
                : Optional.ofNullable(devices.get(DeviceRegistryEntry.physicalDeviceId(entry.deviceId(), devices)));
    }

    /** {@code entityIds} by physical device id, sorted; entities without a device are under "". */
    Map<String, List<String>> byDevice(Collection<String> entityIds) {
        Map<String, TreeSet<String>> groups = new TreeMap<>();
        for (String id : entityIds) {
            groups.computeIfAbsent(deviceOf(id).map(DeviceRegistryEntry::id).orElse(""), k -> new TreeSet<>()).add(id);
        }
        Map<String, List<String>> result = new TreeMap<>();
        groups.forEach((device, ids) -> result.put(device, List.copyOf(ids)));
        return result;
    }

    DeviceRegistryEntry device(String deviceId) {
        return devices.get(deviceId);
    }
}
