package dev.hadiag.core.ha;

import java.util.List;

/** An entity registry entry ({@code config/entity_registry/list}). Absent text is empty. */
public record EntityRegistryEntry(String entityId, String platform, String configEntryId, String deviceId,
        String disabledBy, String hiddenBy, String name, String originalName, List<String> labels) {

    public EntityRegistryEntry {
        Strings.required("entity_id", entityId);
        platform = Strings.orEmpty(platform);
        configEntryId = Strings.orEmpty(configEntryId);
        deviceId = Strings.orEmpty(deviceId);
        disabledBy = Strings.orEmpty(disabledBy);
        hiddenBy = Strings.orEmpty(hiddenBy);
        name = Strings.orEmpty(name);
        originalName = Strings.orEmpty(originalName);
        labels = List.copyOf(labels);
    }

    /** Disabled entities have no state at all and are never reported. */
    public boolean isDisabled() {
        return !disabledBy.isEmpty();
    }
}
