package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.MaintenanceMode;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceJson;
import dev.hadiag.core.store.Withheld;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Silences as a holding rule of the {@link DeliveryStage}. A silenced alert is tracked as ever (opened, absorbed, resolved
 * in the store), but its opening is withheld ({@link Withheld.Silenced}) instead of written, and so are its repeats; a
 * resolution whose opening was never written is not written either. When no silence covers a withheld alert any more, the
 * stage writes its opening, with the alert's correlation id. Starting and ending a silence each write one info event. While
 * HA's maintenance entity is {@code on}, a silence of every alert stands for it, so maintenance is a silence like any other
 * (and survives a restart of the agent).
 *
 * <p>Its rule and {@link #poll} are not thread-safe: the caller runs them under the lock its alert decisions are made
 * under. {@link #observeMaintenance} asks HA and must not run under that lock.
 */
public final class SilenceGate implements HoldingRule {

    private static final System.Logger LOG = System.getLogger(SilenceGate.class.getName());
    /** What the silences' own events name as their {@code check}: no check writes them, the silences do. */
    static final String CHECK = "silences";

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
    private final AlertEvents events;
    private final MaintenanceEntity maintenanceEntity;
    private final MaintenanceMode maintenance = new MaintenanceMode();

    /** @param events who the silences' own events say they come from */
    public SilenceGate(SilenceStore silences, AlertEvents events, HomeAssistant ha, Settings settings) {
        this.silences = silences;
        this.events = events;
        this.maintenanceEntity = new MaintenanceEntity(silences, ha, settings);
    }

    /** Whether maintenance is on, as of the last {@link #poll}. */
    public MaintenanceMode maintenance() {
        return maintenance;
    }

    @Override
    public Optional<Withheld.Reason> holdsOpening(String check, AlertDecision.Open open, Instant at) {
        AlertSubject subject = AlertSubject.of(open.finding());
        Optional<Silence> covering = covering(silences.silences(), subject, at);
        covering.ifPresent(silence -> LOG.log(Level.INFO, "{0}: opening not written, silence {1} covers it", open.alertKey(), silence.id()));
        return covering.map(silence -> new Withheld.Silenced(check, open.finding(), subject));
    }

    @Override
    public boolean holdsRepeat(String check, AlertDecision.Repeat repeat, Instant at) {
        return covering(silences.silences(), AlertSubject.of(repeat.finding()), at).isPresent();
    }

    @Override
    public boolean holdsStill(Withheld withheld, Instant now) {
        return withheld.reason() instanceof Withheld.Silenced silenced && covering(silences.silences(), silenced.subject(), now).isPresent();
    }

    /**
     * Follows HA's maintenance entity and writes, through {@code write}, the start and end events of silences not yet
     * announced; the {@link DeliveryStage} then writes the withheld openings no silence covers any more. Call it often
     * (the agent: when the database changes and at {@link #nextChange}): a silence added by the CLI in another process is
     * seen at the next call.
     */
    void poll(Instant now, Consumer<Event> write) {
        maintenanceEntity.follow(now);
        List<Silence> all = silences.silences();
        for (Silence silence : all) {
            announce(silence, now, write);
        }
        boolean active = all.stream().anyMatch(s -> MaintenanceMode.isMaintenance(s) && s.activeAt(now));
        if (maintenance.update(active)) {
            LOG.log(Level.INFO, active ? "maintenance on: every alert is silenced" : "maintenance off");
        }
    }

    /**
     * The next instant at which {@link #poll} has something to do that no write causes: a silence's start or end not
     * announced yet (its end is also when the openings it withholds are released), or the maintenance entity's next read.
     * Empty while nothing is due at any time: only a change to the silences (a write) can then give a poll work. An
     * instant not after {@code now} means a poll is due now (the last one did not get to it).
     */
    public Optional<Instant> nextChange(Instant now) {
        Optional<Instant> next = maintenanceEntity.nextRead();
        for (Silence silence : silences.silences()) {
            if (!silence.startAnnounced()) {
                next = earlier(next, silence.startsAt());
            }
            if (!silence.endAnnounced()) {
                next = earlier(next, silence.endsAt());
            }
        }
        return next;
    }

    private static Optional<Instant> earlier(Optional<Instant> next, Instant candidate) {
        return next.filter(at -> at.isBefore(candidate)).or(() -> Optional.of(candidate));
    }

    /** Forgets silences that ended before {@code before}. */
    public void prune(Instant before) {
        silences.pruneSilences(before);
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

    private void announce(Silence silence, Instant now, Consumer<Event> write) {
        if (!silence.startAnnounced() && !now.isBefore(silence.startsAt())) {
            write.accept(auditEvent(EventTypes.HA_DIAG_SILENCE_STARTED, silence, now));
            silences.markSilenceStartAnnounced(silence.id());
            LOG.log(Level.INFO, "silence {0} started: {1} until {2}", silence.id(), silence.matchers(), silence.endsAt());
        }
        if (!silence.endAnnounced() && !now.isBefore(silence.endsAt())) {
            write.accept(auditEvent(EventTypes.HA_DIAG_SILENCE_ENDED, silence, now));
            silences.markSilenceEndAnnounced(silence.id());
            LOG.log(Level.INFO, "silence {0} ended{1}", silence.id(), silence.expiredEarly() ? " early" : "");
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
        String matchers = String.join(" ", silence.matchers().stream().map(Object::toString).toList());
        String summary = (type.equals(EventTypes.HA_DIAG_SILENCE_STARTED) ? "silence " + silence.id() + " started: " + matchers + " until "
                + silence.endsAt() : "silence " + silence.id() + " ended" + (silence.expiredEarly() ? " early" : "") + ": " + matchers)
                + (silence.comment().isEmpty() ? "" : " (" + silence.comment() + ")");
        return events.audit(CHECK, type, "silence-" + silence.id(), "silence:" + silence.id(), summary, payload, now);
    }
}
