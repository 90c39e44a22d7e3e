package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.EventSink;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Where every alert decision is made and written: a check's completed run and the event-reported causes
 * (the watchdog's verdicts, a rejected token) go through the one {@link AlertLifecycle}, under one lock,
 * so that the watchdog and the checks agree on who owns an alert. A per-run decision stage (what to hold
 * back, what to let through) belongs in {@link #completed}, between a run's causes and the lifecycle.
 */
final class AlertPublisher {

    private static final System.Logger LOG = System.getLogger(AlertPublisher.class.getName());

    private final AlertLifecycle lifecycle;
    private final AlertEvents events;
    private final EventSink sink;
    private final ReentrantLock lock = new ReentrantLock();
    /** What holds back the events of silenced alerts, or null: every decision is written. */
    private final SilenceGate silences;

    AlertPublisher(AlertLifecycle lifecycle, AlertEvents events, EventSink sink, SilenceGate silences) {
        this.lifecycle = lifecycle;
        this.events = events;
        this.sink = sink;
        this.silences = silences;
    }

    /**
     * Applies a completed run of {@code check}; returns how many events it wrote. Counted here, where an event is written
     * or withheld: the lifecycle's decisions include the ones a silence holds back, which a report must not count.
     */
    int completed(String check, CheckOutcome.Completed outcome, Instant now) {
        lock.lock();
        try {
            int[] written = {0};
            lifecycle.apply(check, outcome.findings(), outcome.otherChecksCauses(), now, decision -> {
                if (emit(check, decision, now)) {
                    written[0]++;
                }
            });
            events.rememberNames(check, outcome.findings()); // for the resolutions of the next run
            return written[0];
        } finally {
            lock.unlock();
        }
    }

    /** Opens an event-reported cause's alert for {@code owner}, unless it is open already. */
    void open(Finding finding, String owner, Instant at) {
        lock.lock();
        try {
            lifecycle.open(finding, owner, at, decision -> emit(owner, decision, at));
        } finally {
            lock.unlock();
        }
    }

    /** Resolves an event-reported cause's alert, if it is open. */
    void resolve(String alertKey, Instant at) {
        lock.lock();
        try {
            lifecycle.resolve(alertKey, at, decision -> emit(decision.alert().check(), decision, at));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets the silences see time pass and changes made elsewhere: writes their start and end events and the held
     * openings no silence covers any more, under the alert lock so no run decides about the same alerts meanwhile.
     */
    void applySilences(Instant now) {
        if (silences == null) {
            return;
        }
        lock.lock();
        try {
            silences.poll(now);
        } finally {
            lock.unlock();
        }
    }

    /** Writes an info event that belongs to no alert (e.g. {@code ha_restarted}). */
    void notice(Function<AlertEvents, Event> notice) {
        lock.lock();
        try {
            sink.emit(notice.apply(events));
        } finally {
            lock.unlock();
        }
    }

    /** Writes the decision's event unless a silence withholds it; whether it was written. */
    private boolean emit(String check, AlertDecision decision, Instant at) {
        if (silences != null && silences.withhold(check, decision, at)) {
            return false;
        }
        sink.emit(events.toEvent(check, decision, at));
        LOG.log(Level.DEBUG, "{0} {1} ({2})", decision.getClass().getSimpleName().toLowerCase(Locale.ROOT),
                decision.alertKey(), check);
        return true;
    }
}
