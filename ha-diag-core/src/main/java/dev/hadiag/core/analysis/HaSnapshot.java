package dev.hadiag.core.analysis;

import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import java.util.List;

/**
 * One consistent view of HA taken in one run: every root-cause level is computed from it, so no ordering
 * race between separate reads decides what counts as a cause.
 */
public record HaSnapshot(List<EntityState> states, List<EntityRegistryEntry> entities, List<DeviceRegistryEntry> devices,
        List<ConfigEntry> configEntries) {

    public HaSnapshot {
        states = List.copyOf(states);
        entities = List.copyOf(entities);
        devices = List.copyOf(devices);
        configEntries = List.copyOf(configEntries);
    }
}
