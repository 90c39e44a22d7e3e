package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
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
 * registries only when something flaps.
 */
public final class FlappingCheck implements Check {

    private final LiveStates live;
    private final FlapHold hold;

    public FlappingCheck(LiveStates live, FlapHold hold) {
        this.live = live;
        this.hold = hold;
    }

    @Override
    public String name() {
        return CheckNames.FLAPPING;
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
        Map<String, FlapDetector.Flap> flaps = live.flapping(context.now());
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
