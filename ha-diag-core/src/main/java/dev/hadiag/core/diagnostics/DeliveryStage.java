package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.AlertDelivery;
import dev.hadiag.core.alert.CorrelationIds;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one stage between the {@link dev.hadiag.core.alert.AlertLifecycle}'s decisions and the event files, and the only
 * writer of events. Each decision is recorded as an intent, judged by the holding rules in order (the run's
 * {@link StormGuard} plan, then silences, maintenance being one), written unless one withholds it or the alert's record
 * does (an operator's acknowledgement is a record made by hand), and marked sent either way. What is withheld is one {@link Withheld} record per alert, whoever withheld
 * it: while it stands the alert's repeats are not written, nor its resolution unless its opening was (a reader never sees
 * the end of something it was not told about). {@link #release} writes a withheld opening once no rule holds it any more,
 * through the same intent and write as every event. Returns what it actually wrote, which reports count.
 *
 * <p>Not thread-safe: the {@link AlertPublisher} calls it under the lock its alert decisions are made under.
 */
final class DeliveryStage implements AlertDelivery {

    private static final System.Logger LOG = System.getLogger(DeliveryStage.class.getName());

    private final DiagnosticStore store;
    private final EventSink sink;
    private final AlertEvents events;
    private final StormGuard stormGuard;
    private final CorrelationIds correlationIds;
    /** The rules after the storm guard's, in order. */
    private final List<HoldingRule> rules;
    /** Every alert event this stage wrote, counted as each is written: a run that fails part-way reports what it wrote. */
    private int eventsWritten;

    DeliveryStage(DiagnosticStore store, EventSink sink, AlertEvents events, StormGuard stormGuard, CorrelationIds correlationIds,
            List<HoldingRule> rules) {
        this.store = store;
        this.sink = sink;
        this.events = events;
        this.stormGuard = stormGuard;
        this.correlationIds = correlationIds;
        this.rules = List.copyOf(rules);
    }

    @Override
    public List<AlertDecision> run(String check, List<AlertDecision> decisions, List<OpenAlert> openBefore, Instant now) {
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
        StormGuard.Plan plan = stormGuard.plan(decisions, storms.keySet(), openAfter);
        List<AlertDecision> all = new ArrayList<>(decisions);
        for (StormGuard.Storm storm : plan.started()) {
            Finding finding = storm.finding(now);
            all.add(new AlertDecision.Open(finding, correlationIds.forSignalled(finding.alertKey())));
            openKeys.add(finding.alertKey());
        }
        for (AlertType type : plan.ended()) {
            all.add(new AlertDecision.Resolve(storms.get(type), ""));
        }
        List<HoldingRule> judges = new ArrayList<>();
        judges.add(new StormRule(plan));
        judges.addAll(rules);
        return deliver(check, all, judges, true, openKeys, now);
    }

    @Override
    public boolean signalled(String check, AlertDecision decision, Instant at) {
        return !deliver(check, List.of(decision), rules, false, Set.of(), at).isEmpty();
    }

    /**
     * Writes the opening of every alert withheld by a rule that no longer holds it, with the alert's correlation id and
     * {@code held_since}, and forgets the records of alerts resolved meanwhile (nothing was written, nothing will be).
     */
    void release(Instant now) {
        List<String> gone = new ArrayList<>();
        for (Withheld withheld : store.withheld(Withheld.Silenced.class)) {
            Optional<OpenAlert> alert = store.openAlert(withheld.alertKey());
            if (alert.isEmpty() || !alert.get().correlationId().equals(withheld.correlationId())) {
                gone.add(withheld.alertKey());
                continue;
            }
            if (!(withheld.reason() instanceof Withheld.Silenced silenced) || rules.stream().anyMatch(r -> r.holdsStill(withheld, now))) {
                continue;
            }
            // As every alert event: intent first, so a crash after the write is reconciled, not written twice.
            AlertIntent intent = new AlertIntent(AlertIntent.Kind.OPEN, alert.get().sentAgain(now), now, "");
            store.recordIntents(List.of(intent));
            Finding opening = silenced.opening();
            Map<String, Object> details = new LinkedHashMap<>(opening.details());
            details.put("held_since", withheld.since().toString());
            write(silenced.check(), new AlertDecision.Open(new Finding(opening.type(), opening.severity(), opening.rootCause(),
                    opening.summary(), opening.entities(), opening.since(), details), withheld.correlationId()), now);
            store.markSent(intent); // ends the record: an opening marked sent after it
            if (!withheld.since().isBefore(now)) {
                gone.add(withheld.alertKey()); // withheld and released at one instant: the mark above did not end it
            }
            LOG.log(Level.INFO, "{0}: no rule withholds it any more, opening written", withheld.alertKey());
        }
        if (!gone.isEmpty()) {
            store.forgetWithheld(gone);
        }
    }

    /** Writes an event that belongs to no alert ({@code ha_restarted}, a silence's start or end). */
    void notice(Event event) {
        sink.emit(event);
    }

    /**
     * @param run      whether the decisions are a whole run's: then the records of alerts not in {@code openKeys} are
     *                 forgotten (left by a run that failed half-way); an event-reported decision judges only its own key
     * @param openKeys every alert open before the run or opened by it
     */
    private List<AlertDecision> deliver(String check, List<AlertDecision> decisions, List<HoldingRule> judges, boolean run,
            Set<String> openKeys, Instant now) {
        List<AlertIntent> intents = decisions.stream().map(d -> d.intent(check, now)).toList();
        store.recordIntents(intents);
        List<Withheld> records = store.withheld();
        Set<String> forget = new HashSet<>();
        if (run) {
            records.stream().map(Withheld::alertKey).filter(key -> !openKeys.contains(key)).forEach(forget::add);
        }
        // Most runs decide nothing: then a storm's thousands of records need no index.
        Map<String, Withheld> withheld = new HashMap<>();
        if (!decisions.isEmpty()) {
            records.forEach(w -> withheld.put(w.alertKey(), w));
        }
        List<Withheld> made = new ArrayList<>();
        boolean[] write = new boolean[decisions.size()];
        for (int i = 0; i < decisions.size(); i++) {
            AlertDecision decision = decisions.get(i);
            String key = decision.alertKey();
            Withheld record = withheld.get(key);
            if (record != null && !record.correlationId().equals(decision.correlationId())) {
                record = null; // an earlier incident's, left behind: it withholds nothing of this one
            }
            if (decision instanceof AlertDecision.Open open) {
                Optional<Withheld.Reason> reason = judges.stream().map(r -> r.holdsOpening(check, open, now)).flatMap(Optional::stream)
                        .findFirst();
                if (reason.isPresent()) {
                    made.add(new Withheld(key, decision.correlationId(), reason.get(), now));
                    forget.remove(key);
                } else {
                    write[i] = true;
                    if (withheld.containsKey(key)) {
                        forget.add(key); // left over from a run that failed half-way: this opening is written
                    }
                }
            } else if (record != null) {
                write[i] = decision instanceof AlertDecision.Resolve && record.reason().openingWritten();
                if (!write[i] && !(record.reason() instanceof Withheld.Storm)) {
                    LOG.log(Level.INFO, "{0}: {1} not written, {2}", key, decision instanceof AlertDecision.Resolve ? "resolution" : "repeat",
                            record.reason().openingWritten() ? "acknowledged" : "its opening never was");
                }
            } else if (decision instanceof AlertDecision.Repeat repeat) {
                write[i] = judges.stream().noneMatch(r -> r.holdsRepeat(check, repeat, now));
            } else {
                write[i] = true; // the resolution of an opening that was written is written, whatever holds: no alert is left hanging
            }
        }
        // Recorded before any is marked sent, so no withheld alert is ever taken for a written one.
        if (!made.isEmpty()) {
            store.withhold(made);
        }
        if (!forget.isEmpty()) {
            store.forgetWithheld(forget);
        }
        List<AlertDecision> written = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            if (write[i]) {
                write(check, decisions.get(i), now);
                written.add(decisions.get(i));
            }
            store.markSent(intents.get(i));
        }
        return written;
    }

    /** How many alert events this stage has written, as of now. */
    int eventsWritten() {
        return eventsWritten;
    }

    private void write(String check, AlertDecision decision, Instant at) {
        sink.emit(events.toEvent(check, decision, at));
        eventsWritten++;
        LOG.log(Level.DEBUG, "{0} {1} ({2})", decision.getClass().getSimpleName().toLowerCase(Locale.ROOT), decision.alertKey(), check);
    }

    private static Optional<AlertType> stormType(OpenAlert storm) {
        return AlertKey.parse(storm.alertKey()).flatMap(key -> AlertType.fromType(key.id()));
    }
}
