package dev.hadiag.core.alert;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import java.lang.System.Logger.Level;
import java.time.Duration;
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
 * <p>Then the open alerts themselves are {@linkplain #adoptOpenAlerts reconciled} with the event files written since the
 * store last did so (all of them for a new database: the first start, or one deleted or lost and started again): an
 * alert the files show open is recorded open under its own correlation id, so it is neither opened again under a new
 * id nor left unresolved.
 */
public final class IntentReconciliation {

    private static final System.Logger LOG = System.getLogger(IntentReconciliation.class.getName());

    /** What reconciling found: intents whose event was on disk, openings kept for their id, others dropped. */
    public record Result(int found, int reserved, int dropped) {
    }

    /** What {@link #adoptOpenAlerts} changed: alerts recorded open from the event files, and alerts closed. */
    public record Adoption(List<OpenAlert> adopted, List<OpenAlert> closed) {
        public Adoption {
            adopted = List.copyOf(adopted);
            closed = List.copyOf(closed);
        }
    }

    /** Read a little before the mark: an event's timestamp is its decision's, which a clock step can put before it. */
    private static final Duration WINDOW_MARGIN = Duration.ofDays(1);
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
     * Brings the store's open alerts in line with what the event files show, for the files written since the store
     * last did this (at its previous start; all of them for a store that never did: a new database, the first start
     * or one lost and started again; a database restored from a backup did it last at the backup's start). For each
     * alert key of {@code node} whose last event in those files
     * <ul>
     * <li>opens or repeats an alert the store does not have open: that alert is recorded open under its own
     *     correlation id (the store's older one, if any, closed), so it is neither opened again under a new id nor
     *     left unresolved;</li>
     * <li>resolves the alert the store has open under that id: the store closes it, so it is not resolved twice.</li>
     * </ul>
     * After the intents are reconciled, a healthy store agrees with its files and nothing changes. Whatever changes
     * is said in one log line, with why; then the store is marked reconciled through {@code now}.
     *
     * @return the alerts recorded open and closed
     */
    public static Adoption adoptOpenAlerts(DiagnosticStore store, EventLog log, String node, Instant now) {
        // The files written since the store was last reconciled with them are the ones it may not know; a store without the
        // mark has never seen them.
        Instant through = store.reconciledThrough().orElse(null);
        EventQuery query = EventQuery.all().withNodes(Set.of(node)).withTypes(ALERT_EVENT_TYPES);
        if (through != null) {
            query = query.withSince(through.minus(WINDOW_MARGIN));
        }
        Map<String, OpenAlert> open = new LinkedHashMap<>();
        Map<String, Event> resolved = new LinkedHashMap<>();
        int read = 0;
        try (Stream<Event> events = log.find(query)) {
            for (Event event : (Iterable<Event>) events::iterator) {
                read++;
                if (!(event.payload().get("alert_key") instanceof String key) || !(event.payload().get("check") instanceof String check)
                        || event.correlationId() == null) {
                    continue; // not this project's alert event: nothing to learn from it
                }
                Optional<AlertType> opening = AlertType.fromType(event.type());
                OpenAlert before = open.remove(key);
                resolved.remove(key);
                if (opening.isPresent()) {
                    boolean repeat = before != null && before.correlationId().equals(event.correlationId());
                    open.put(key, new OpenAlert(key, check, opening.get(), event.correlationId(),
                            repeat ? before.openedAt() : event.timestamp(), event.timestamp(), entities(event)));
                } else {
                    resolved.put(key, event);
                }
            }
        }
        List<OpenAlert> adopted = new ArrayList<>();
        for (OpenAlert alert : open.values()) {
            Optional<OpenAlert> known = store.openAlert(alert.alertKey());
            if (known.isPresent() && known.get().correlationId().equals(alert.correlationId())) {
                continue;
            }
            known.ifPresent(older -> store.closeAlert(older.alertKey(), alert.openedAt()));
            store.saveOpenAlert(alert);
            adopted.add(alert);
        }
        List<OpenAlert> closed = new ArrayList<>();
        for (Event resolution : resolved.values()) {
            String key = (String) resolution.payload().get("alert_key");
            store.openAlert(key).filter(alert -> alert.correlationId().equals(resolution.correlationId())).ifPresent(alert -> {
                store.closeAlert(key, resolution.timestamp());
                closed.add(alert);
            });
        }
        store.recordReconciledThrough(now);
        String scope = through == null ? "the database had never been reconciled with the event files (a new database: the first start,"
                + " or the database deleted or lost and started again): " + read + " alert events of node " + node + " read"
                : "the database was reconciled with the event files last at " + through + " (a database restored from an older copy?): "
                        + read + " alert events of node " + node + " since then read";
        if (!adopted.isEmpty() || !closed.isEmpty()) {
            LOG.log(Level.WARNING, "{0}; the event files show {1} alerts open that the database did not have: adopted under their own"
                    + " correlation ids, so they are not opened again and are resolved when their cause is gone{2}; {3} alerts resolved"
                    + " that the database still had open: closed, so they are not resolved twice{4}", scope, adopted.size(),
                    listed(adopted), closed.size(), listed(closed));
        } else if (through == null) {
            LOG.log(Level.INFO, "{0}; no alert open that it does not know", scope);
        }
        return new Adoption(adopted, closed);
    }

    private static String listed(List<OpenAlert> alerts) {
        if (alerts.isEmpty()) {
            return "";
        }
        return ": " + String.join(", ", alerts.stream().limit(20).map(a -> a.alertKey() + " (" + a.correlationId() + ")").toList())
                + (alerts.size() > 20 ? " and " + (alerts.size() - 20) + " more" : "");
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
