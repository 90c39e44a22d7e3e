package dev.hadiag.core.ha;

import java.util.List;

/** A device registry entry ({@code config/device_registry/list}). Absent text is empty. */
public record DeviceRegistryEntry(String id, String name, String nameByUser, List<String> configEntries,
        String disabledBy, String manufacturer, String model) {

    public DeviceRegistryEntry {
        Strings.required("id", id);
        name = Strings.orEmpty(name);
        nameByUser = Strings.orEmpty(nameByUser);
        configEntries = List.copyOf(configEntries);
        disabledBy = Strings.orEmpty(disabledBy);
        manufacturer = Strings.orEmpty(manufacturer);
        model = Strings.orEmpty(model);
    }

    /** The name an operator sees: theirs if they renamed it, else the integration's. */
    public String displayName() {
        return !nameByUser.isEmpty() ? nameByUser : !name.isEmpty() ? name : id;
    }

    public boolean isDisabled() {
        return !disabledBy.isEmpty();
    }
}
