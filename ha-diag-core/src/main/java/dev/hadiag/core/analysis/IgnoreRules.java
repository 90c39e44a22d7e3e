package dev.hadiag.core.analysis;

import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the operator never wants reported: globs ({@code *}, {@code ?}) on entity ids, integration domains
 * and device names, and HA labels. The globs are compiled once, here.
 */
public record IgnoreRules(Globs entityGlobs, Globs integrationGlobs, Globs deviceGlobs, Set<String> labelSet) {

    public static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of(), List.of(), List.of());

    public IgnoreRules {
        labelSet = Set.copyOf(labelSet);
    }

    public IgnoreRules(List<String> entities, List<String> integrations, List<String> devices, List<String> labels) {
        this(Globs.of(entities), Globs.of(integrations), Globs.of(devices), Set.copyOf(labels));
    }

    public List<String> entities() {
        return entityGlobs.globs();
    }

    public List<String> integrations() {
        return integrationGlobs.globs();
    }

    public List<String> devices() {
        return deviceGlobs.globs();
    }

    public boolean ignoresEntity(String entityId) {
        return entityGlobs.matchesAny(entityId);
    }

    public boolean ignoresIntegration(String domain) {
        return !domain.isEmpty() && integrationGlobs.matchesAny(domain);
    }

    public boolean ignoresDevice(String deviceName) {
        return !deviceName.isEmpty() && deviceGlobs.matchesAny(deviceName);
    }

    public boolean ignoresAnyLabel(Collection<String> entityLabels) {
        return entityLabels.stream().anyMatch(labelSet::contains);
    }

    /**
     * Whether an entity is ignored by its id, its integration (the config entry's domain or the registry's
     * platform; the id's domain when the registry does not know it), its device's name or a label.
     */
    public boolean ignoresEntity(String entityId, EntityRegistryEntry entry, Map<String, DeviceRegistryEntry> devices,
            Map<String, ConfigEntry> entries) {
        if (ignoresEntity(entityId)) {
            return true;
        }
        if (entry == null) {
            return ignoresIntegration(entityId.substring(0, Math.max(0, entityId.indexOf('.'))));
        }
        ConfigEntry configEntry = entries.get(entry.configEntryId());
        String domain = configEntry != null ? configEntry.domain() : entry.platform();
        DeviceRegistryEntry device = devices.get(entry.deviceId());
        return ignoresIntegration(domain) || ignoresIntegration(entry.platform())
                || (device != null && ignoresDevice(device.displayName())) || ignoresAnyLabel(entry.labels());
    }

    /** Whether {@code value} matches one of the globs; compiles them, so for globs matched once only. */
    public static boolean matchesAny(List<String> globs, String value) {
        return Globs.of(globs).matchesAny(value);
    }
}
