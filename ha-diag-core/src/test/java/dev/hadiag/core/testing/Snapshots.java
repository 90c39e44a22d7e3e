package dev.hadiag.core.testing;

import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.ConfigEntryState;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds HA snapshots for tests: {@code Snapshots.ha().entry("e1", "zha", "loaded").entity(...).build()}. */
public final class Snapshots {

    public static final Instant T0 = Instant.parse("2026-06-03T12:00:00Z");

    private final List<EntityState> states = new ArrayList<>();
    private final List<EntityRegistryEntry> entities = new ArrayList<>();
    private final List<DeviceRegistryEntry> devices = new ArrayList<>();
    private final List<ConfigEntry> entries = new ArrayList<>();

    public static Snapshots ha() {
        return new Snapshots();
    }

    public Snapshots entry(String id, String domain, String state) {
        return entry(id, domain, state, "");
    }

    public Snapshots entry(String id, String domain, String state, String reason) {
        entries.add(new ConfigEntry(id, domain, domain + " " + id, ConfigEntryState.fromWire(state), state, reason, ""));
        return this;
    }

    public Snapshots device(String id, String name, String entryId) {
        devices.add(new DeviceRegistryEntry(id, name, "", List.of(entryId), "", "Acme", "X1"));
        return this;
    }

    /**
     * A device of HA 2026.9+'s shape: one config entry ({@code config_entry_id}) and, for a device another
     * integration added to a physical device, that device as its parent ("" for none).
     */
    public Snapshots device(String id, String name, String entryId, String parentDeviceId) {
        devices.add(new DeviceRegistryEntry(id, name, "", List.of(entryId), "", "Acme", "X1", entryId, parentDeviceId, ""));
        return this;
    }

    /** A device HA reaches through another one, a hub ({@code via_device_id}), of HA 2026.8+'s shape. */
    public Snapshots deviceVia(String id, String name, String entryId, String viaDeviceId) {
        devices.add(new DeviceRegistryEntry(id, name, "", List.of(entryId), "", "Acme", "X1", entryId, "", viaDeviceId));
        return this;
    }

    /** An enabled entity of a config entry and (optional, "" for none) device, with its state. */
    public Snapshots entity(String entityId, String entryId, String deviceId, String state) {
        return entity(entityId, entryId, deviceId, state, "", List.of());
    }

    public Snapshots entity(String entityId, String entryId, String deviceId, String state, String disabledBy, List<String> labels) {
        entities.add(new EntityRegistryEntry(entityId, "test", entryId, deviceId, disabledBy, "", "", "", labels));
        if (disabledBy.isEmpty()) {
            states.add(new EntityState(entityId, state, Map.of(), T0, T0));
        }
        return this;
    }

    /** {@code count} entities named {@code prefix_N} with the same entry, device and state. */
    public Snapshots entities(int count, String prefix, String entryId, String deviceId, String state) {
        for (int i = 0; i < count; i++) {
            entity(prefix + "_" + i, entryId, deviceId, state);
        }
        return this;
    }

    public HaSnapshot build() {
        return new HaSnapshot(states, entities, devices, entries);
    }
}
