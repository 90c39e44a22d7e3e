package dev.hadiag.core.check;

import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.ha.EntityState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Unavailable entities, one finding per root cause (see {@link UnavailableEntitiesAnalysis}). Failed
 * config entries are {@code system_health}'s alerts: here they only explain their entities. Since when each
 * entity is unavailable is kept in the store ({@link DiagnosticStore#unavailableSince()}), so a restart keeps every clock.
 */
public final class UnavailableEntitiesCheck implements Check {

    /** The measure of how many entities are unavailable now (ignored and disabled ones not counted). */
    public static final String UNAVAILABLE_ENTITIES_MEASURE = "unavailable_entities";

    /** The causes above a device: what they explain never counts toward an entity's flapping. */
    /** The attributes the analysis reads (see {@link #slim}): HA's client leaves every other one unparsed. */
    private static final Set<String> KEPT_ATTRIBUTES = Set.of("friendly_name", "restored");
    private static final Set<RootCause.Kind> HIGHER_CAUSES = EnumSet.of(RootCause.Kind.INTEGRATION, RootCause.Kind.HUB);

    private final UnavailableEntitiesAnalysis analysis;
    private final DiagnosticStore store;
    private final FlapHold flapHold;

    public UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings settings, DiagnosticStore store) {
        this(settings, store, new FlapHold());
    }

    /** @param flapHold what the flapping check holds: causes whose entities all flap are not alerted here */
    public UnavailableEntitiesCheck(UnavailableEntitiesAnalysis.Settings settings, DiagnosticStore store, FlapHold flapHold) {
        this.analysis = new UnavailableEntitiesAnalysis(settings);
        this.store = store;
        this.flapHold = flapHold;
    }

    @Override
    public String name() {
        return BuiltInCheck.UNAVAILABLE_ENTITIES.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        HaRegistries registries = ha.registries();
        Set<String> registered = new HashSet<>();
        registries.entities().forEach(entry -> registered.add(entry.entityId()));
        List<EntityState> states = new ArrayList<>();
        ha.forEachState(KEPT_ATTRIBUTES, state -> {
            // An answering entity with no registry entry is in no group the analysis forms and is no cause: kept, it
            // only made every map of the analysis bigger (20,000 such states, docs/performance.md, section 8).
            if (registered.contains(state.entityId()) || state.isUnavailable() || EntityState.UNKNOWN.equals(state.state())) {
                states.add(slim(state));
            }
        });
        HaSnapshot snapshot = new HaSnapshot(states, registries.entities(), registries.devices(), registries.configEntries());
        Map<String, Instant> firstSeen = store.unavailableSince();
        UnavailableEntitiesAnalysis.Result result = context.haUpSince()
                .map(haStarted -> analysis.analyze(snapshot, firstSeen, haStarted, context.now()))
                .orElseGet(() -> analysis.analyze(snapshot, firstSeen, context.now()));
        // Unchanged (the same entities down since the same times) is the usual case: then the store need not read
        // the baseline again to find nothing to write.
        if (!result.unavailableSince().equals(firstSeen)) {
            store.replaceUnavailableSince(result.unavailableSince());
        }

        List<Finding> own = new ArrayList<>();
        List<Finding> failedEntries = new ArrayList<>();
        Set<String> higherCauses = new HashSet<>();
        for (Finding finding : result.findings()) {
            (finding.type() == AlertType.INTEGRATION_FAILED ? failedEntries : own).add(finding);
            if (finding.type() == AlertType.INTEGRATION_FAILED || HIGHER_CAUSES.contains(finding.rootCause().kind())) {
                higherCauses.addAll(finding.entities());
            }
        }
        // Root-cause order for flapping too (issue 24): an outage a hub or an integration explains is no device's flapping.
        higherCauses.retainAll(result.unavailableSince().keySet()); // a failed entry's entities that still answer are not down
        flapHold.explainedByHigherCause(higherCauses, context.now());
        // Flapping (issue 15): what flaps is held, and an open alert of it is absorbed by the flapping alert.
        own = flapHold.release(own, context.now());
        List<Finding> otherCauses = new ArrayList<>(failedEntries);
        otherCauses.addAll(flapHold.causes());
        String note = result.unavailableSince().isEmpty() ? ""
                : result.unavailableSince().size() + " entities unavailable in " + own.size() + " root causes"
                        + (failedEntries.isEmpty() ? "" : ", " + failedEntries.size() + " failed config entries");
        return new CheckOutcome.Completed(own, otherCauses, note,
                Map.of(UNAVAILABLE_ENTITIES_MEASURE, (long) result.unavailableSince().size()));
    }

    // The analysis reads two attributes, and only of entities that are not answering: keeping every attribute of
    // 50,000 entities would cost tens of MB of heap (docs/performance.md, figure 2).
    private static EntityState slim(EntityState state) {
        if (!state.isUnavailable() && !EntityState.UNKNOWN.equals(state.state())) {
            return new EntityState(state.entityId(), state.state(), Map.of(), state.lastChanged(), state.lastUpdated(), state.lastReported());
        }
        Map<String, Object> kept = new HashMap<>(4);
        for (String name : KEPT_ATTRIBUTES) {
            Object value = state.attributes().get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return new EntityState(state.entityId(), state.state(), kept, state.lastChanged(), state.lastUpdated(), state.lastReported());
    }
}
