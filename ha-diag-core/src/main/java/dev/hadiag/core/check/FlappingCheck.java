package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.HomeAssistant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entities that go between unavailable and available again and again, as the live stream saw them
 * ({@link FlapDetector}): one {@code ha_entity_flapping} per device whose entities flap (at least two of
 * them), else per entity; resolved by {@code ha_entity_stable} once quiet. Without the live stream (the
 * one-shot {@code check}) it is skipped, so it never resolves what the agent opened. It asks HA for the
 * registries only when something flaps. The detector's state is kept in the store
 * ({@link DiagnosticStore#flapMemory()}) after every run that changed it and restored at the first run, so a restart of the agent neither
 * resolves a flapping alert nor forgets the changes counted so far (issue 24).
 */
public final class FlappingCheck implements Check {

    private final LiveStates live;
    private final FlapHold hold;
    private final DiagnosticStore store;
    private boolean restored;
    private Map<String, Instant> kept = Map.of();

    /** Without a store: what it learned is lost with the process (tests of the detection alone). */
    public FlappingCheck(LiveStates live, FlapHold hold) {
        this(live, hold, null);
    }

    /** @param store where the detector's state is kept across restarts of the agent */
    public FlappingCheck(LiveStates live, FlapHold hold, DiagnosticStore store) {
        this.live = live;
        this.hold = hold;
        this.store = store;
    }

    @Override
    public String name() {
        return BuiltInCheck.FLAPPING.wire();
    }

    @Override
    public boolean needsRunningHa() {
        return false; // reads the stream, not HA's state
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        if (live.streamingSince().isEmpty()) {
            return new CheckOutcome.Skipped("the live WebSocket is not up: flapping is seen on its stream only");
        }
        restoreOnce();
        Map<String, FlapDetector.Flap> flaps = live.flapping(context.now());
        keep();
        if (flaps.isEmpty()) {
            hold.set(List.of());
            return CheckOutcome.Completed.of(List.of());
        }
        DeviceGroups groups = new DeviceGroups(ha.registries());
        FlapDetector.Settings settings = live.flapSettings();
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<String>> group : groups.byDevice(flaps.keySet()).entrySet()) {
            DeviceRegistryEntry device = groups.device(group.getKey());
            if (device != null && group.getValue().size() >= 2) {
                findings.add(finding(new RootCause(RootCause.Kind.DEVICE, device.id(), device.displayName()), "Device " + device.displayName(),
                        group.getValue(), flaps, settings, Map.of("device", device.displayName(), "manufacturer", device.manufacturer(),
                                "model", device.model())));
            } else {
                for (String entityId : group.getValue()) {
                    findings.add(finding(new RootCause(RootCause.Kind.ENTITY, entityId, entityId), "Entity " + entityId, List.of(entityId), flaps,
                            settings, Map.of("entity_id", entityId)));
                }
            }
        }
        hold.set(findings);
        return new CheckOutcome.Completed(findings, List.of(), flaps.size() + " entities flapping");
    }

    // At the first run with the stream up, not before: a one-shot `check` (skipped above) never touches the store.
    private synchronized void restoreOnce() {
        if (!restored && store != null) {
            kept = store.flapMemory();
            live.restoreFlaps(kept);
        }
        restored = true;
    }

    private synchronized void keep() {
        if (store == null) {
            return;
        }
        Map<String, Instant> memory = live.flapMemory();
        if (!memory.equals(kept)) {
            store.replaceFlapMemory(memory);
            kept = Map.copyOf(memory);
        }
    }

    private static Finding finding(RootCause cause, String what, List<String> entityIds, Map<String, FlapDetector.Flap> flaps,
            FlapDetector.Settings settings, Map<String, Object> extra) {
        Instant since = null;
        Instant last = null;
        int transitions = 0;
        for (String id : entityIds) {
            FlapDetector.Flap flap = flaps.get(id);
            since = since == null || flap.since().isBefore(since) ? flap.since() : since;
            last = last == null || flap.lastTransition().isAfter(last) ? flap.lastTransition() : last;
            transitions += flap.transitions();
        }
        Map<String, Object> details = new LinkedHashMap<>(extra);
        details.put("transitions", transitions);
        details.put("last_transition", last.toString());
        details.put("min_transitions", settings.transitions());
        details.put("window_s", settings.window().toSeconds());
        details.put("quiet_s", settings.quiet().toSeconds());
        return new Finding(AlertType.ENTITY_FLAPPING, AlertType.ENTITY_FLAPPING.defaultSeverity(), cause,
                what + " keeps going unavailable and back: " + transitions + " changes since " + since, entityIds, since, details);
    }
}
