package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.EventSinkException;
import dev.hadiag.core.store.Withheld;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one lock alert decisions are made and delivered under: a check's completed run and the event-reported causes (the
 * watchdog's verdicts, a rejected token) go through the one {@link AlertLifecycle} and then the one {@link DeliveryStage},
 * so that the watchdog and the checks agree on who owns an alert and no run decides about an alert a silence's end is
 * writing meanwhile.
 */
final class AlertPublisher {

    private final AlertLifecycle lifecycle;
    private final DiagnosticStore store;
    private final AlertEvents events;
    private final DeliveryStage delivery;
    private final ReentrantLock lock = new ReentrantLock();
    /** Silences, or null: no silence holds anything. */
    private final SilenceGate silences;

    AlertPublisher(AlertLifecycle lifecycle, DiagnosticStore store, AlertEvents events, DeliveryStage delivery, SilenceGate silences) {
        this.lifecycle = lifecycle;
        this.store = store;
        this.events = events;
        this.delivery = delivery;
        this.silences = silences;
    }

    /**
     * Applies a completed run of {@code check}; returns how many events it wrote (not those a holding rule withheld).
     *
     * @throws RunNotDelivered when the sink or the store failed part-way, with the events written before that
     */
    int completed(String check, CheckOutcome.Completed outcome, Instant now) {
        lock.lock();
        int before = delivery.eventsWritten();
        try {
            int written = lifecycle.apply(check, outcome.findings(), outcome.otherChecksCauses(), now, delivery).size();
            events.rememberNames(check, outcome.findings()); // for the resolutions of the next run
            return written;
        } catch (EventSinkException | DiagnosticStoreException e) {
            throw new RunNotDelivered(delivery.eventsWritten() - before, e);
        } finally {
            lock.unlock();
        }
    }

    /** Opens an event-reported cause's alert for {@code owner}, unless it is open already. */
    void open(Finding finding, String owner, Instant at) {
        lock.lock();
        try {
            lifecycle.open(finding, owner, at, delivery);
        } finally {
            lock.unlock();
        }
    }

    /** Resolves an event-reported cause's alert, if it is open. */
    void resolve(String alertKey, Instant at) {
        lock.lock();
        try {
            lifecycle.resolve(alertKey, at, delivery);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets the silences see time pass and changes made elsewhere: writes their start and end events and the withheld
     * openings no silence covers any more.
     */
    void applySilences(Instant now) {
        if (silences == null) {
            return;
        }
        lock.lock();
        try {
            silences.poll(now, delivery::notice);
            delivery.release(now);
        } finally {
            lock.unlock();
        }
    }

    /** Acknowledges the open alert of a key (see {@link Diagnostics#acknowledge}). */
    Optional<Withheld> acknowledge(String alertKey, Instant at) {
        lock.lock();
        try {
            return store.acknowledge(alertKey, at);
        } finally {
            lock.unlock();
        }
    }

    /** Writes an info event that belongs to no alert (e.g. {@code ha_restarted}). */
    void notice(Function<AlertEvents, Event> notice) {
        lock.lock();
        try {
            delivery.notice(notice.apply(events));
        } finally {
            lock.unlock();
        }
    }
}
