package dev.hadiag.core.alert;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.store.AlertIntent;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
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
 */
public final class IntentReconciliation {

    private static final System.Logger LOG = System.getLogger(IntentReconciliation.class.getName());

    /** What reconciling found: intents whose event was on disk, openings kept for their id, others dropped. */
    public record Result(int found, int reserved, int dropped) {
    }

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

    private static String signature(String correlationId, String type, Instant at) {
        return correlationId + "|" + type + "|" + at.toEpochMilli();
    }
}
