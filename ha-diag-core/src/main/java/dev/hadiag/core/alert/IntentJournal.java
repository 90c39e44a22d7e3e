package dev.hadiag.core.alert;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.AlertIntent;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one path every alert decision takes to become an event, whoever made it (a check's run or the
 * WebSocket watchdog): all of a batch's intents are recorded first, then each decision is published and
 * marked sent. A publish that throws leaves that decision and the ones after it unsent, so the next run
 * makes them again, with the same correlation id for an opening (see {@link IntentReconciliation}).
 */
final class IntentJournal {

    private IntentJournal() {
    }

    /** A decision together with the intent recorded for it. */
    record Entry(AlertDecision decision, AlertIntent intent) {
    }

    static void publish(DiagnosticStore store, List<Entry> entries, Consumer<AlertDecision> publish) {
        store.recordIntents(entries.stream().map(Entry::intent).toList());
        for (Entry entry : entries) {
            publish.accept(entry.decision());
            store.markSent(entry.intent());
        }
    }
}
