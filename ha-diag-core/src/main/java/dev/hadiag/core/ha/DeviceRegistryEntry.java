package dev.hadiag.core.ha;

import java.util.List;
import java.util.Map;

/**
 * A device registry entry ({@code config/device_registry/list}). Absent text is empty. Both shapes of the
 * registry are read: before HA 2026.8 a device could belong to several config entries ({@code config_entries});
 * since then it belongs to one ({@code config_entry_id}), and since 2026.9 a device that another integration
 * adds to a physical device is a child of it ({@code parent_device_id}).
 *
 * @param configEntries    every config entry the device belongs to
 * @param primaryConfigEntry the config entry that owns the device: {@code config_entry_id} (2026.8+), else
 *                           {@code primary_config_entry}, else the only one of {@code configEntries}; empty
 *                           when HA does not say which of several it is
 * @param parentDeviceId   the physical device this one is a facet of ({@code parent_device_id}, 2026.9+)
 * @param viaDeviceId      the device HA reaches this one through, e.g. a hub ({@code via_device_id})
 */
public record DeviceRegistryEntry(String id, String name, String nameByUser, List<String> configEntries,
        String disabledBy, String manufacturer, String model, String primaryConfigEntry, String parentDeviceId,
        String viaDeviceId) {

    public DeviceRegistryEntry {
        Strings.required("id", id);
        name = Strings.orEmpty(name);
        nameByUser = Strings.orEmpty(nameByUser);
        configEntries = List.copyOf(configEntries);
        disabledBy = Strings.orEmpty(disabledBy);
        manufacturer = Strings.orEmpty(manufacturer);
        model = Strings.orEmpty(model);
        primaryConfigEntry = Strings.orEmpty(primaryConfigEntry);
        if (primaryConfigEntry.isEmpty() && configEntries.size() == 1) {
            primaryConfigEntry = configEntries.get(0);
        }
        parentDeviceId = Strings.orEmpty(parentDeviceId);
        viaDeviceId = Strings.orEmpty(viaDeviceId);
    }

    /** A device of the pre-2026.8 shape, with nothing but its list of config entries. */
    public DeviceRegistryEntry(String id, String name, String nameByUser, List<String> configEntries, String disabledBy,
            String manufacturer, String model) {
        this(id, name, nameByUser, configEntries, disabledBy, manufacturer, model, "", "", "");
    }

    /** The name an operator sees: theirs if they renamed it, else the integration's. */
    public String displayName() {
        return !nameByUser.isEmpty() ? nameByUser : !name.isEmpty() ? name : id;
    }

    public boolean isDisabled() {
        return !disabledBy.isEmpty();
    }

    /**
     * The physical device {@code deviceId} is part of: its parent when it is a facet of a device HA lists (2026.9+),
     * else itself (also when HA does not list it). Every check groups a device's entities by this, so that a device
     * and its facets are one cause, whichever check finds it.
     *
     * @param devices the device registry by device id
     */
    public static String physicalDeviceId(String deviceId, Map<String, DeviceRegistryEntry> devices) {
        DeviceRegistryEntry device = devices.get(deviceId);
        return device != null && devices.containsKey(device.parentDeviceId()) ? device.parentDeviceId() : deviceId;
    }
}
