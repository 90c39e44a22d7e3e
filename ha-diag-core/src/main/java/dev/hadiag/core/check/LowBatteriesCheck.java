package dev.hadiag.core.check;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.battery.BatteryRules;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.HomeAssistant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batteries running out, before the device dies: every {@code sensor} of device class {@code battery} in
 * {@code %} below its threshold, and every {@code binary_sensor} of device class {@code battery} that is
 * {@code on} (HA: on means low). The device class is read from the state's attributes, where HA writes it
 * for registry entities and for states without an entry (template sensors without a unique id, REST-created
 * states) alike. One {@code ha_battery_low} per device, naming its batteries and levels (per entity when it
 * has no device); resolved by {@code ha_battery_ok} once every battery clears the threshold by the
 * hysteresis. A battery that turns {@code unavailable} or {@code unknown} while its alert is open keeps it
 * open: a flat battery is not a replaced one (the unavailable check reports the outage).
 */
public final class LowBatteriesCheck implements Check {

    /** The measure of how many batteries are low now. */
    public static final String LOW_BATTERIES_MEASURE = "low_batteries";
    /** The measure of how many batteries the check sees. */
    public static final String BATTERIES_MEASURE = "batteries";

    private static final String DEVICE_CLASS = "device_class";
    private static final String BATTERY = "battery";

    /** @param levelOrNull the percentage; null for a binary sensor (whose {@code on} is low) and a state without a number */
    private record Battery(String entityId, String name, String state, Double levelOrNull, boolean binary,
            Instant since) {
        Optional<Double> level() {
            return Optional.ofNullable(levelOrNull);
        }
    }

    private final BatteryRules rules;
    private final DiagnosticStore store;

    /** @param store where the check reads whether its alerts are open (for the hysteresis, across agent restarts) */
    public LowBatteriesCheck(BatteryRules rules, DiagnosticStore store) {
        this.rules = rules;
        this.store = store;
    }

    @Override
    public String name() {
        return BuiltInCheck.LOW_BATTERIES.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        List<Battery> batteries = new ArrayList<>();
        ha.forEachState(state -> battery(state).ifPresent(batteries::add));
        if (batteries.isEmpty()) {
            return new CheckOutcome.Completed(List.of(), List.of(), "no batteries", measures(0, 0));
        }
        HaRegistries registries = ha.registries();
        Map<String, EntityRegistryEntry> entries = new HashMap<>();
        registries.entities().forEach(e -> entries.put(e.entityId(), e));
        Map<String, DeviceRegistryEntry> devices = new HashMap<>();
        registries.devices().forEach(d -> devices.put(d.id(), d));
        Map<String, ConfigEntry> configEntries = new HashMap<>();
        registries.configEntries().forEach(c -> configEntries.put(c.entryId(), c));
        DeviceGroups groups = new DeviceGroups(registries);

        Map<String, Battery> seen = new LinkedHashMap<>();
        for (Battery battery : batteries) {
            EntityRegistryEntry entry = entries.get(battery.entityId());
            if (entry != null && entry.isDisabled()) {
                continue;
            }
            if (!rules.ignore().ignoresEntity(battery.entityId(), entry, devices, configEntries)) {
                seen.put(battery.entityId(), battery);
            }
        }
        List<Finding> findings = new ArrayList<>();
        int low = 0;
        for (Map.Entry<String, List<String>> group : groups.byDevice(seen.keySet()).entrySet()) {
            DeviceRegistryEntry device = groups.device(group.getKey());
            if (device != null) {
                List<Battery> lowHere = lowOf(group.getValue(), seen, entries, configEntries, device,
                        isOpen(new RootCause(RootCause.Kind.DEVICE, device.id(), device.displayName())));
                low += lowHere.size();
                if (!lowHere.isEmpty()) {
                    findings.add(finding(new RootCause(RootCause.Kind.DEVICE, device.id(), device.displayName()), lowHere, group.getValue(), seen,
                            device));
                }
            } else {
                for (String id : group.getValue()) {
                    Battery battery = seen.get(id);
                    RootCause cause = new RootCause(RootCause.Kind.ENTITY, id, battery.name());
                    List<Battery> lowHere = lowOf(List.of(id), seen, entries, configEntries, null, isOpen(cause));
                    low += lowHere.size();
                    if (!lowHere.isEmpty()) {
                        findings.add(finding(cause, lowHere, List.of(id), seen, null));
                    }
                }
            }
        }
        String note = seen.size() + " batteries, " + low + " low";
        return new CheckOutcome.Completed(findings, List.of(), note, measures(seen.size(), low));
    }

    private boolean isOpen(RootCause cause) {
        return store.openAlert(AlertKey.format(AlertType.BATTERY_LOW, cause)).isPresent();
    }

    private List<Battery> lowOf(List<String> ids, Map<String, Battery> seen, Map<String, EntityRegistryEntry> entries,
            Map<String, ConfigEntry> configEntries, DeviceRegistryEntry device, boolean alerted) {
        List<Battery> low = new ArrayList<>();
        for (String id : ids) {
            Battery battery = seen.get(id);
            if (battery.binary()) {
                if ("on".equals(battery.state()) || alerted && !isReading(battery.state())) {
                    low.add(battery);
                }
            } else if (battery.level().isPresent()) {
                double threshold = rules.thresholdFor(id, device == null ? "" : device.displayName(), integration(entries.get(id), configEntries));
                if (rules.isLow(battery.level().get(), threshold, alerted)) {
                    low.add(battery);
                }
            } else if (alerted && !isReading(battery.state())) {
                // Unavailable or unknown while low: the battery most likely ran flat, it was not replaced.
                low.add(battery);
            }
        }
        return low;
    }

    private static boolean isReading(String state) {
        return !EntityState.UNAVAILABLE.equals(state) && !EntityState.UNKNOWN.equals(state) && !state.isEmpty();
    }

    private static String integration(EntityRegistryEntry entry, Map<String, ConfigEntry> configEntries) {
        if (entry == null) {
            return "";
        }
        ConfigEntry configEntry = configEntries.get(entry.configEntryId());
        return configEntry != null ? configEntry.domain() : entry.platform();
    }

    private Finding finding(RootCause cause, List<Battery> low, List<String> all, Map<String, Battery> seen, DeviceRegistryEntry device) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (String id : all) {
            Battery battery = seen.get(id);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("entity_id", id);
            one.put("state", battery.state());
            battery.level().ifPresent(level -> one.put("level", level));
            one.put("low", low.contains(battery));
            listed.add(one);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (device != null) {
            details.put("device", device.displayName());
            details.put("manufacturer", device.manufacturer());
            details.put("model", device.model());
        }
        details.put("batteries", listed);
        String levels = String.join(", ", low.stream().map(b -> b.level().map(l -> format(l) + " %").orElse(b.state())).toList());
        Instant since = low.stream().map(Battery::since).min(Instant::compareTo).orElseThrow();
        return new Finding(AlertType.BATTERY_LOW, AlertType.BATTERY_LOW.defaultSeverity(), cause,
                cause.name() + " battery low (" + levels + ")", low.stream().map(Battery::entityId).toList(), since, details);
    }

    private static String format(double level) {
        return level == Math.rint(level) ? Long.toString((long) level) : Double.toString(level);
    }

    private static Optional<Battery> battery(EntityState state) {
        if (!BATTERY.equals(state.attributes().get(DEVICE_CLASS))) {
            return Optional.empty();
        }
        String domain = state.domain();
        if ("binary_sensor".equals(domain)) {
            return Optional.of(new Battery(state.entityId(), state.friendlyName(), state.state(), null, true, state.lastChanged()));
        }
        if (!"sensor".equals(domain) || !"%".equals(state.attributes().get("unit_of_measurement"))) {
            return Optional.empty();
        }
        return Optional.of(new Battery(state.entityId(), state.friendlyName(), state.state(), level(state.state()).orElse(null), false, state.lastChanged()));
    }

    private static Optional<Double> level(String state) {
        try {
            double level = Double.parseDouble(state);
            return Double.isFinite(level) ? Optional.of(level) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Long> measures(int batteries, int low) {
        return Map.of(BATTERIES_MEASURE, (long) batteries, LOW_BATTERIES_MEASURE, (long) low);
    }
}
