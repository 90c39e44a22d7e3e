package dev.hadiag.core.ha;

import java.util.List;

/**
 * HA's registries as one read: the config entries, the devices and the entities, taken together so that an entity's
 * device and config entry are the ones read with it. One port call returns them ({@code HomeAssistant.registries()}):
 * no check depends on the order it asks in, and no adapter keeps one call's answer for the next.
 *
 * @param entities disabled entities may be left out (HA's compact list omits them)
 */
public record HaRegistries(List<ConfigEntry> configEntries, List<DeviceRegistryEntry> devices, List<EntityRegistryEntry> entities) {

    public HaRegistries {
        configEntries = List.copyOf(configEntries);
        devices = List.copyOf(devices);
        entities = List.copyOf(entities);
    }
}
