package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.MaintenanceMode;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceJson;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.HeldOpening;
import dev.hadiag.core.store.OpenAlert;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Silences between the alert lifecycle and the event files. A silenced alert is tracked as ever (opened, absorbed,
 * resolved in the store), but its opening is held back ({@link HeldOpening}) instead of written, and so are its repeats;
 * a resolution whose opening was never written is not written either. When no silence covers a held alert any more,
 * {@link #poll} writes its opening, with the alert's correlation id, through an intent like every alert event. Starting
 * and ending a silence each write one info event. While HA's maintenance entity is {@code on}, a silence of every alert
 * stands for it, so maintenance is a silence like any other (and survives a restart of the agent).
 *
 * <p>{@link #withhold} and {@link #poll} are not thread-safe: the caller runs them under the lock its alert decisions are
 * made under. {@link #observeMaintenance} asks HA and must not run under that lock.
 */
public final class SilenceGate {

    private static final System.Logger LOG = System.getLogger(SilenceGate.class.getName());

    /**
     * @param maintenanceEntity the entity whose state {@code on} means maintenance, or empty for none
     * @param maintenancePoll   how often HA is asked for its state
     */
    public record Settings(String maintenanceEntity, Duration maintenancePoll) {
        public Settings {
            if (maintenanceEntity == null || maintenancePoll == null || maintenancePoll.isNegative() || maintenancePoll.isZero()) {
                throw new IllegalArgumentException("maintenance entity (or empty) and a positive poll interval are required");
            }
        }

        public static final Settings NO_MAINTENANCE = new Settings("", Duration.ofSeconds(5));
    }

    private final SilenceStore silences;
    private final DiagnosticStore store;
    private final EventSink sink;
    private final AlertEvents events;
    private final MaintenanceEntity maintenanceEntity;
    private final MaintenanceMode maintenance = new MaintenanceMode();

    public SilenceGate(SilenceStore silences, DiagnosticStore store, EventSink sink, AlertEvents events, HomeAssistant ha,
            Settings settings) {
        this.silences = silences;
        this.store = store;
        this.sink = sink;
        this.events = events;
        this.maintenanceEntity = new MaintenanceEntity(silences, ha, settings);
    }

    /** Whether maintenance is on, as of the last {@link #poll}. */
    public MaintenanceMode maintenance() {
        return maintenance;
    }

    /**
     * Decides whether a decision's event is written. Called after its intent is recorded and before it is written: when
     * this returns true, nothing is written, and the caller marks the intent sent as if it had been.
     *
     * @return true when the event must not be written
     */
    public boolean withhold(String check, AlertDecision decision, Instant at) {
        if (decision instanceof AlertDecision.Open open) {
            AlertSubject subject = AlertSubject.of(open.finding());
            Optional<Silence> covering = covering(subject, at);
            if (covering.isPresent()) {
                store.holdOpening(new HeldOpening(check, open.correlationId(), open.finding(), subject, at, HeldOpening.Reason.SILENCE));
                LOG.log(Level.INFO, "{0}: opening not written, silence {1} covers it", open.alertKey(), covering.get().id());
                return true;
            }
            return false;
        }
        if (held(decision)) {
            LOG.log(Level.INFO, "{0}: {1} not written, its opening never was", decision.alertKey(),
                    decision instanceof AlertDecision.Resolve ? "resolution" : "repeat");
            return true;
        }
        if (decision instanceof AlertDecision.Repeat repeat) {
            return covering(AlertSubject.of(repeat.finding()), at).isPresent();
        }
        return false; // the resolution of an opening that was written is written, silence or not: no alert is left hanging
    }

    /**
     * Follows HA's maintenance entity, writes the start and end events of silences not yet announced, and writes the
     * opening of every held alert no silence covers any more. Call it often (every second): a silence added by the CLI
     * in another process is seen at the next call.
     */
    public void poll(Instant now) {
        maintenanceEntity.follow(now);
        List<Silence> all = silences.silences();
        for (Silence silence : all) {
            announce(silence, now);
        }
        boolean active = all.stream().anyMatch(s -> MaintenanceMode.isMaintenance(s) && s.activeAt(now));
        if (maintenance.update(active)) {
            LOG.log(Level.INFO, active ? "maintenance on: every alert is silenced" : "maintenance off");
        }
        release(all, now);
    }

    /** Forgets silences that ended before {@code before}. */
    public void prune(Instant before) {
        silences.pruneSilences(before);
    }

    private boolean held(AlertDecision decision) {
        return store.heldOpening(decision.alertKey()).filter(h -> h.correlationId().equals(decision.correlationId())).isPresent();
    }

    private Optional<Silence> covering(AlertSubject subject, Instant at) {
        return covering(silences.silences(), subject, at);
    }

    private static Optional<Silence> covering(List<Silence> all, AlertSubject subject, Instant at) {
        return all.stream().filter(s -> s.activeAt(at) && s.matches(subject)).findFirst();
    }

    /**
     * Reads HA's maintenance entity when its poll interval has passed since the last read; the next {@link #poll} acts
     * on it. Asks HA (up to its request timeout), so never call it under the alert lock.
     */
    public void observeMaintenance(Instant now) {
        maintenanceEntity.observe(now);
    }

    private void announce(Silence silence, Instant now) {
        if (!silence.startAnnounced() && !now.isBefore(silence.startsAt())) {
            sink.emit(auditEvent(EventTypes.HA_DIAG_SILENCE_STARTED, silence, now));
            silences.markSilenceStartAnnounced(silence.id());
            LOG.log(Level.INFO, "silence {0} started: {1} until {2}", silence.id(), silence.matchers(), silence.endsAt());
        }
        if (!silence.endAnnounced() && !now.isBefore(silence.endsAt())) {
            sink.emit(auditEvent(EventTypes.HA_DIAG_SILENCE_ENDED, silence, now));
            silences.markSilenceEndAnnounced(silence.id());
            LOG.log(Level.INFO, "silence {0} ended{1}", silence.id(), silence.expiredEarly() ? " early" : "");
        }
    }

    private void release(List<Silence> all, Instant now) {
        for (HeldOpening held : store.heldOpenings()) {
            Optional<OpenAlert> alert = store.openAlert(held.alertKey());
            if (alert.isEmpty() || !alert.get().correlationId().equals(held.correlationId())) {
                store.releaseOpening(held.alertKey()); // resolved while held: nothing was written, nothing will be
                continue;
            }
            if (held.reason() != HeldOpening.Reason.SILENCE || covering(all, held.subject(), now).isPresent()) {
                continue; // still silenced, or held by another (the storm guard), which writes it if anyone does
            }
            // As every alert event: intent first, so a crash after the write is reconciled, not written twice.
            AlertIntent intent = new AlertIntent(AlertIntent.Kind.OPEN, alert.get().sentAgain(now), now, "");
            store.recordIntents(List.of(intent));
            Finding finding = held.finding();
            Map<String, Object> details = new LinkedHashMap<>(finding.details());
            details.put("held_since", held.heldAt().toString());
            sink.emit(events.toEvent(held.check(), new AlertDecision.Open(new Finding(finding.type(), finding.severity(),
                    finding.rootCause(), finding.summary(), finding.entities(), finding.since(), details), held.correlationId()), now));
            store.markSent(intent);
            LOG.log(Level.INFO, "{0}: no silence covers it any more, opening written", held.alertKey());
        }
    }

    private Event auditEvent(String type, Silence silence, Instant now) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("silence_id", silence.id());
        payload.put("matchers", SilenceJson.matchers(silence));
        payload.put("starts_at", silence.startsAt().toString());
        payload.put("ends_at", silence.endsAt().toString());
        payload.put("comment", silence.comment());
        payload.put("created_by", silence.createdBy());
        payload.put("maintenance", MaintenanceMode.isMaintenance(silence));
        if (type.equals(EventTypes.HA_DIAG_SILENCE_ENDED)) {
            payload.put("expired_early", silence.expiredEarly());
        }
        return Event.of(now, events.node(), type, Severity.INFO, AlertEvents.SOURCE, AlertEvents.SERVICE, "silence-" + silence.id(), payload);
    }
}
