package dev.hadiag.core.alert;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The last step of a run, between the lifecycle's decisions and the sink: the {@link StormGuard}'s plan
 * applied. Every decision is recorded as an intent and then marked sent, written or not; a held opening is
 * remembered in the store ({@link DiagnosticStore#stormHeld()}) so its repeats and resolution are held too.
 * That rule ("opening not written → nothing after it written") is meant for anything else that keeps an
 * alert from being written, such as a silence.
 */
final class RunWriter {

    private final DiagnosticStore store;
    private final StormGuard guard;
    private final CorrelationIds correlationIds;

    RunWriter(DiagnosticStore store, StormGuard guard, CorrelationIds correlationIds) {
        this.store = store;
        this.guard = guard;
        this.correlationIds = correlationIds;
    }

    /**
     * Records, writes (through {@code publish}) and marks sent one run's decisions of {@code check}.
     *
     * @param openBefore every open alert as the run found it (the lifecycle's one read of them: with thousands of
     *                   causes a second read was a tenth of a warm cycle); only their keys, types and storms are used
     * @return the decisions written, in order (the storm's own included)
     */
    List<AlertDecision> write(String check, List<IntentJournal.Entry> entries, List<OpenAlert> openBefore, Instant now,
            Consumer<AlertDecision> publish) {
        List<AlertDecision> decisions = entries.stream().map(IntentJournal.Entry::decision).toList();
        List<AlertIntent> intents = entries.stream().map(IntentJournal.Entry::intent).toList();
        Map<String, Instant> unwritten = new HashMap<>(store.stormHeld());
        Map<AlertType, OpenAlert> storms = new EnumMap<>(AlertType.class);
        Map<AlertType, Integer> openAfter = new EnumMap<>(AlertType.class);
        Set<String> openKeys = new HashSet<>();
        for (OpenAlert alert : openBefore) {
            openKeys.add(alert.alertKey());
            openAfter.merge(alert.type(), 1, Integer::sum);
            if (alert.type() == AlertType.ALERT_STORM && alert.check().equals(check)) {
                stormType(alert).ifPresent(type -> storms.put(type, alert));
            }
        }
        for (AlertDecision decision : decisions) {
            if (decision instanceof AlertDecision.Open open && openKeys.add(open.alertKey())) {
                openAfter.merge(open.finding().type(), 1, Integer::sum);
            } else if (decision instanceof AlertDecision.Resolve resolve) {
                openAfter.merge(resolve.alert().type(), -1, Integer::sum);
            }
        }
        StormGuard.Plan plan = guard.plan(decisions, unwritten.keySet(), storms.keySet(), openAfter);

        List<AlertDecision> all = new ArrayList<>(decisions);
        List<AlertIntent> allIntents = new ArrayList<>(intents);
        for (StormGuard.Storm storm : plan.started()) {
            Finding finding = storm.finding(now);
            String id = correlationIds.forSignalled(finding.alertKey());
            all.add(new AlertDecision.Open(finding, id));
            allIntents.add(new AlertIntent(AlertIntent.Kind.OPEN,
                    new OpenAlert(finding.alertKey(), check, AlertType.ALERT_STORM, id, now, now, List.of()), now, ""));
        }
        for (AlertType type : plan.ended()) {
            OpenAlert storm = storms.get(type);
            all.add(new AlertDecision.Resolve(storm, ""));
            allIntents.add(new AlertIntent(AlertIntent.Kind.RESOLVE, storm, now, ""));
        }

        store.recordIntents(allIntents);
        // Held openings are remembered before any is marked open, so no held alert is ever taken for a written one.
        // A key left here whose alert never opened (a crash in between) is dropped by the next run.
        // Whether anything changed is tracked, not found by comparing copies: thousands of held openings are normal.
        boolean changed = unwritten.keySet().retainAll(openKeys);
        for (AlertDecision decision : all) {
            if (decision instanceof AlertDecision.Open) {
                if (plan.held().contains(decision.alertKey())) {
                    changed |= !now.equals(unwritten.put(decision.alertKey(), now));
                } else {
                    // left over from a run that failed half-way: this opening is written
                    changed |= unwritten.remove(decision.alertKey()) != null;
                }
            }
        }
        if (changed) {
            store.replaceStormHeld(unwritten);
        }
        List<AlertDecision> written = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            AlertDecision decision = all.get(i);
            if (!plan.held().contains(decision.alertKey())) {
                publish.accept(decision);
                written.add(decision);
            }
            store.markSent(allIntents.get(i));
        }
        if (all.stream().anyMatch(d -> d instanceof AlertDecision.Resolve && unwritten.containsKey(d.alertKey()))) {
            all.stream().filter(d -> d instanceof AlertDecision.Resolve).forEach(d -> unwritten.remove(d.alertKey()));
            store.replaceStormHeld(unwritten);
        }
        return written;
    }

    private static Optional<AlertType> stormType(OpenAlert storm) {
        return AlertKey.parse(storm.alertKey()).flatMap(key -> AlertType.fromType(key.id()));
    }
}
