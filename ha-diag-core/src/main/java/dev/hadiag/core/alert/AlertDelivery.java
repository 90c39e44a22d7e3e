package dev.hadiag.core.alert;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.OpenAlert;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the lifecycle's decisions go once made: the delivery stage, which records each as an intent, writes the events no
 * holding rule withholds and marks every decision sent, written or withheld. When writing throws, the exception propagates
 * and that decision and the ones after it stay unsent, so the next run makes them again (with the same correlation id for
 * an opening): an event may be written twice after a crash, never lost.
 */
public interface AlertDelivery {

    /**
     * Delivers one completed run's decisions of {@code check}.
     *
     * @param openBefore every open alert as the run found it
     * @return the decisions whose event was written, in order (the storm guard's own included)
     */
    List<AlertDecision> run(String check, List<AlertDecision> decisions, List<OpenAlert> openBefore, Instant now);

    /** Delivers one event-reported decision (the watchdog's, a rejected token's); whether its event was written. */
    boolean signalled(String check, AlertDecision decision, Instant at);

    /** Records every decision as made and sent and writes no event: for library use and the lifecycle's own tests. */
    static AlertDelivery recordOnly(DiagnosticStore store) {
        return journal(store, decision -> { });
    }

    /**
     * The intents without any holding rule: records every decision as an intent, hands each to {@code write}, then marks
     * it sent (for library use and tests; the agent delivers through its delivery stage).
     */
    static AlertDelivery journal(DiagnosticStore store, Consumer<AlertDecision> write) {
        return new AlertDelivery() {
            @Override
            public List<AlertDecision> run(String check, List<AlertDecision> decisions, List<OpenAlert> openBefore, Instant now) {
                store.recordIntents(decisions.stream().map(d -> d.intent(check, now)).toList());
                for (AlertDecision decision : decisions) {
                    write.accept(decision);
                    store.markSent(decision.intent(check, now));
                }
                return decisions;
            }

            @Override
            public boolean signalled(String check, AlertDecision decision, Instant at) {
                run(check, List.of(decision), List.of(), at);
                return true;
            }
        };
    }
}
