package dev.hadiag.core.analysis;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hub level of the unavailable-entities analysis, between the integration and the device level. HA's
 * device registry links a device to the device HA reaches it through ({@code via_device_id}: a Zigbee
 * coordinator, a Zigbee2MQTT bridge, a Hue bridge). When every device behind a hub (at least two of them)
 * is wholly down, the hub is the one cause: it explains those devices' entities and its own unavailable
 * ones. The hub's own entities need not be down: a Zigbee2MQTT bridge's connection-state entity stays
 * available while the bridge has lost its radio. Nested hubs resolve to the highest one whose devices are
 * all down.
 *
 * <p>A device counts behind a hub when it, or a device behind it, has an enabled entity with a state; a
 * device with children is down when all its counted children are, a device without them when all its
 * entities are.
 */
public final class HubCauses {

    /** A hub explains an outage only when it has at least this many counted devices behind it. */
    public static final int MIN_DEVICES = 2;

    private final Map<String, DeviceRegistryEntry> devices;
    private final Map<String, List<String>> entitiesByDevice;
    private final Map<String, Instant> since;
    private final Map<String, List<String>> children = new TreeMap<>();
    private final Map<String, String> hubOf = new HashMap<>();
    private final Map<String, Boolean> counted = new HashMap<>();
    private final Map<String, Boolean> down = new HashMap<>();

    /**
     * @param devices          the device registry, by id
     * @param entitiesByDevice physical device id → its enabled entities with a state (a child device of
     *                         {@code parent_device_id} already counted with its parent)
     * @param since            the bad entities, with since when
     */
    private HubCauses(Map<String, DeviceRegistryEntry> devices, Map<String, List<String>> entitiesByDevice, Map<String, Instant> since) {
        this.devices = devices;
        this.entitiesByDevice = entitiesByDevice;
        this.since = since;
        for (DeviceRegistryEntry device : devices.values()) {
            if (!physical(device.id()).equals(device.id())) {
                continue; // a facet of a physical device: it is behind whatever its parent is behind
            }
            String hub = physical(device.viaDeviceId());
            if (devices.containsKey(hub) && !hub.equals(device.id())) {
                children.computeIfAbsent(hub, k -> new ArrayList<>()).add(device.id());
                hubOf.put(device.id(), hub);
            }
        }
        children.values().forEach(list -> list.sort(Comparator.naturalOrder()));
    }

    /**
     * The hub causes of one snapshot: each takes the entities it explains out of {@code candidates} (bad
     * entities still waiting for a cause, in the root-cause order of docs/checks.md), so the device and entity levels see only
     * what is left.
     *
     * @param entries config entries by id, to name the hub's integration
     */
    public static List<Finding> take(Map<String, DeviceRegistryEntry> devices, Map<String, List<String>> entitiesByDevice,
            Map<String, Instant> since, Set<String> candidates, Map<String, ConfigEntry> entries) {
        return new HubCauses(devices, entitiesByDevice, since).take(candidates, entries);
    }

    private List<Finding> take(Set<String> candidates, Map<String, ConfigEntry> entries) {
        List<Finding> findings = new ArrayList<>();
        for (String hub : children.keySet()) {
            if (!isCause(hub) || hasCauseAbove(hub)) {
                continue;
            }
            List<String> downDevices = new ArrayList<>();
            List<String> explained = new ArrayList<>();
            collect(hub, downDevices, explained, new HashSet<>());
            List<String> affected = explained.stream().filter(candidates::contains).sorted().toList();
            if (affected.isEmpty()) {
                continue; // a higher level (an integration wholly down) took all of it
            }
            candidates.removeAll(affected);
            findings.add(finding(devices.get(hub), downDevices, affected, entries));
        }
        return findings;
    }

    private Finding finding(DeviceRegistryEntry hub, List<String> downDevices, List<String> affected, Map<String, ConfigEntry> entries) {
        List<String> own = entitiesByDevice.getOrDefault(hub.id(), List.of()).stream().filter(affected::contains).sorted().toList();
        List<String> names = downDevices.stream().map(id -> devices.get(id).displayName()).sorted().toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("hub", hub.displayName());
        details.put("manufacturer", hub.manufacturer());
        details.put("model", hub.model());
        ConfigEntry owner = entries.get(hub.primaryConfigEntry());
        if (owner != null) {
            details.put("integration", owner.domain());
        }
        details.put("devices", names);
        details.put("device_count", names.size());
        details.put("hub_entities", own);
        details.put("entity_count", affected.size());
        Instant latest = affected.stream().map(since::get).max(Comparator.naturalOrder()).orElseThrow();
        return new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.HUB, hub.id(), hub.displayName()),
                "Hub " + hub.displayName() + " is cut off: all " + names.size() + " devices behind it are offline",
                affected, latest, details);
    }

    /** Every device below {@code device} and every entity of it and them. */
    private void collect(String device, List<String> downDevices, List<String> entities, Set<String> seen) {
        if (!seen.add(device)) {
            return;
        }
        entities.addAll(entitiesByDevice.getOrDefault(device, List.of()));
        for (String child : children.getOrDefault(device, List.of())) {
            if (isCounted(child)) {
                downDevices.add(child);
            }
            collect(child, downDevices, entities, seen);
        }
    }

    private boolean isCause(String hub) {
        List<String> behind = countedChildren(hub);
        return behind.size() >= MIN_DEVICES && isDown(hub);
    }

    private boolean hasCauseAbove(String hub) {
        Set<String> seen = new HashSet<>(Set.of(hub));
        for (String above = hubOf.get(hub); above != null && seen.add(above); above = hubOf.get(above)) {
            if (isCause(above)) {
                return true;
            }
        }
        return false;
    }

    private List<String> countedChildren(String device) {
        return children.getOrDefault(device, List.of()).stream().filter(this::isCounted).toList();
    }

    // Both walks mark a device before descending, so a cycle of via links (a broken registry) ends as
    // "not counted" / "not down" instead of overflowing the stack.
    private boolean isCounted(String device) {
        Boolean known = counted.get(device);
        if (known != null) {
            return known;
        }
        counted.put(device, false);
        boolean result = !entitiesByDevice.getOrDefault(device, List.of()).isEmpty()
                || children.getOrDefault(device, List.of()).stream().anyMatch(this::isCounted);
        counted.put(device, result);
        return result;
    }

    private boolean isDown(String device) {
        Boolean known = down.get(device);
        if (known != null) {
            return known;
        }
        down.put(device, false);
        List<String> behind = countedChildren(device);
        List<String> own = entitiesByDevice.getOrDefault(device, List.of());
        boolean result = behind.isEmpty() ? !own.isEmpty() && own.stream().allMatch(since::containsKey)
                : behind.stream().allMatch(this::isDown);
        down.put(device, result);
        return result;
    }

    private String physical(String deviceId) {
        return DeviceRegistryEntry.physicalDeviceId(deviceId, devices);
    }
}
