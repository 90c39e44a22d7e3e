package dev.hadiag.core.alert;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Run at the agent's start, before anything decides about alerts: settles the intents a crash left behind
 * against the event files. An intent whose event is on disk is marked sent (the alert is open, sent again or
 * closed, as the event says), so the next run neither writes it again nor opens the key under a new id. An
 * opening whose event is not on disk keeps its intent: the next opening of that key reuses its correlation
 * id. A repeat or resolution whose event is not on disk is forgotten: the alert is still open in the store,
 * so the next run decides it again.
 *
 * <p>A store that has never been reconciled with the event files (a new database: the first start, or one deleted
 * or lost and started again) is first {@linkplain #adoptOpenAlerts adopted}: the alerts the event files show open are
 * recorded open under their own correlation ids, so they are neither opened again under new ids nor left unresolved.
 */
public final class IntentReconciliation {

    private static final System.Logger LOG = System.getLogger(IntentReconciliation.class.getName());

    /** What reconciling found: intents whose event was on disk, openings kept for their id, others dropped. */
    public record Result(int found, int reserved, int dropped) {
    }

    /**
     * The store's mark that it has been reconciled with the event files once (one row, in the first-seen times): a
     * store without it has not seen this node's alerts, whatever the event files say.
     */
    static final String ADOPTED_SCOPE = "agent:events-adopted";
    private static final Set<String> ALERT_EVENT_TYPES = Stream.of(AlertType.values())
            .flatMap(type -> Stream.of(type.type(), type.resolutionType())).collect(Collectors.toUnmodifiableSet());

    private IntentReconciliation() {
    }

    /** @param node the node this agent writes events as: only its events count */
    public static Result reconcile(DiagnosticStore store, EventLog log, String node) {
        List<AlertIntent> intents = store.intents();
        if (intents.isEmpty()) {
            return new Result(0, 0, 0);
        }
        Instant first = intents.stream().map(AlertIntent::at).min(Instant::compareTo).orElseThrow();
        Instant last = intents.stream().map(AlertIntent::at).max(Instant::compareTo).orElseThrow();
        // One pass over the crash's time range, not one query per intent: a storm leaves thousands.
        EventQuery query = EventQuery.all().withSince(first).withUntil(last.plusMillis(1)).withNodes(Set.of(node))
                .withCorrelationIds(intents.stream().map(AlertIntent::correlationId).collect(Collectors.toSet()));
        Set<String> written = new HashSet<>();
        try (Stream<Event> events = log.find(query)) {
            events.forEach(event -> written.add(signature(event.correlationId(), event.type(), event.timestamp())));
        }
        int found = 0;
        int reserved = 0;
        int dropped = 0;
        for (AlertIntent intent : intents) {
            if (written.contains(signature(intent.correlationId(), intent.eventType(), intent.at()))) {
                store.markSent(intent);
                found++;
            } else if (intent.kind() == AlertIntent.Kind.OPEN) {
                reserved++;
            } else {
                store.dropIntent(intent.alertKey());
                dropped++;
            }
        }
        Result result = new Result(found, reserved, dropped);
        LOG.log(Level.INFO, "reconciled {0} unfinished alert events with the event files: {1} written, {2} openings not written"
                + " (their correlation ids are kept), {3} dropped", intents.size(), found, reserved, dropped);
        return result;
    }

    /**
     * For a store never reconciled with the event files: records open, under their correlation ids, the alerts of
     * {@code node} that the files show open (the last event of the alert key opens or repeats it, none resolves it) and
     * the store does not have, then marks the store reconciled, so this reads the whole tree once per database. Says in
     * a log line what it found and why. An alert's {@code openedAt} is its first event on disk, its last sending the
     * newest.
     *
     * @return the alerts adopted (empty when the store was reconciled before or nothing was open)
     */
    public static List<OpenAlert> adoptOpenAlerts(DiagnosticStore store, EventLog log, String node, Instant now) {
        if (!store.firstSeen(ADOPTED_SCOPE).isEmpty()) {
            return List.of();
        }
        Map<String, OpenAlert> open = new LinkedHashMap<>();
        int read = 0;
        try (Stream<Event> events = log.find(EventQuery.all().withNodes(Set.of(node)).withTypes(ALERT_EVENT_TYPES))) {
            for (Event event : (Iterable<Event>) events::iterator) {
                read++;
                if (!(event.payload().get("alert_key") instanceof String key) || !(event.payload().get("check") instanceof String check)
                        || event.correlationId() == null) {
                    continue; // not this project's alert event: nothing to adopt from it
                }
                Optional<AlertType> opening = AlertType.fromType(event.type());
                OpenAlert before = open.get(key);
                if (opening.isPresent()) {
                    boolean repeat = before != null && before.correlationId().equals(event.correlationId());
                    open.put(key, new OpenAlert(key, check, opening.get(), event.correlationId(),
                            repeat ? before.openedAt() : event.timestamp(), event.timestamp(), entities(event)));
                } else if (before != null && before.correlationId().equals(event.correlationId())) {
                    open.remove(key);
                }
            }
        }
        List<OpenAlert> adopted = new ArrayList<>();
        for (OpenAlert alert : open.values()) {
            if (store.openAlert(alert.alertKey()).isEmpty()) {
                store.saveOpenAlert(alert);
                adopted.add(alert);
            }
        }
        store.replaceFirstSeen(ADOPTED_SCOPE, Map.of("adopted_at", now));
        if (adopted.isEmpty()) {
            LOG.log(Level.INFO, "the database has not been reconciled with the event files before (a new database): {0} alert events"
                    + " of node {1} read, no alert open that it does not know", read, node);
        } else {
            LOG.log(Level.WARNING, "the database has not been reconciled with the event files before (a new database, or one lost"
                    + " and started again): the event files show {0} alerts of node {1} open that it did not know; adopted under their"
                    + " own correlation ids, so they are not opened again and are resolved when their cause is gone: {2}",
                    adopted.size(), node, adopted.stream().limit(20).map(a -> a.alertKey() + " (" + a.correlationId() + ")").toList()
                            + (adopted.size() > 20 ? " and " + (adopted.size() - 20) + " more" : ""));
        }
        return adopted;
    }

    private static List<String> entities(Event event) {
        if (event.payload().get("entities") instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private static String signature(String correlationId, String type, Instant at) {
        return correlationId + "|" + type + "|" + at.toEpochMilli();
    }
}
