package dev.hadiag.core.diagnostics;

import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HomeAssistantException;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.MaintenanceMode;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceField;
import dev.hadiag.core.silence.SilenceMatcher;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * HA's maintenance entity as a silence: {@link #observe} reads its state (asking HA, so never under the alert lock),
 * {@link #follow} keeps one silence of every alert standing while it is {@code on} and ends it when it is not.
 */
final class MaintenanceEntity {

    private static final System.Logger LOG = System.getLogger(MaintenanceEntity.class.getName());

    private final SilenceStore silences;
    private final HomeAssistant ha;
    private final SilenceGate.Settings settings;
    private final Object reads = new Object();
    private Instant nextRead = Instant.MIN;
    private volatile boolean missingEntityLogged;
    /** The entity's state as last read ({@code null}: not read yet), applied by {@link #follow}. */
    private volatile Boolean on;

    MaintenanceEntity(SilenceStore silences, HomeAssistant ha, SilenceGate.Settings settings) {
        this.silences = silences;
        this.ha = ha;
        this.settings = settings;
    }

    /**
     * Reads the entity when its poll interval has passed since the last read. Failures keep what was last seen: HA
     * down or restarting is exactly when maintenance matters.
     */
    void observe(Instant now) {
        String entity = settings.maintenanceEntity();
        if (entity.isEmpty()) {
            return;
        }
        synchronized (reads) {
            if (now.isBefore(nextRead)) {
                return;
            }
            nextRead = now.plus(settings.maintenancePoll());
        }
        try {
            Optional<EntityState> state = ha.state(entity);
            if (state.isEmpty() && !missingEntityLogged) {
                LOG.log(Level.WARNING, "maintenance_entity {0} does not exist in Home Assistant: maintenance counts as off", entity);
                missingEntityLogged = true;
            }
            on = state.map(s -> s.state().equals("on")).orElse(false);
        } catch (HomeAssistantException e) {
            LOG.log(Level.DEBUG, "maintenance_entity {0} not read: {1}", entity, e.getMessage());
        }
    }

    /** When {@link #observe} next asks HA; empty when no entity is configured (it never asks). */
    Optional<Instant> nextRead() {
        if (settings.maintenanceEntity().isEmpty()) {
            return Optional.empty();
        }
        synchronized (reads) {
            return Optional.of(nextRead);
        }
    }

    /** Starts or ends the maintenance silence to match the state last read (nothing before the first read). */
    void follow(Instant now) {
        Boolean isOn = on;
        if (isOn == null) {
            return;
        }
        String entity = settings.maintenanceEntity();
        String createdBy = MaintenanceMode.CREATED_BY_PREFIX + entity;
        List<Silence> active = silences.silences().stream().filter(s -> MaintenanceMode.isMaintenance(s) && s.activeAt(now)).toList();
        for (Silence silence : active) {
            if (!isOn || !silence.createdBy().equals(createdBy)) {
                silences.expireSilence(silence.id(), now);
            }
        }
        if (isOn && active.stream().noneMatch(s -> s.createdBy().equals(createdBy))) {
            Silence added = silences.addSilence(new NewSilence(List.of(new SilenceMatcher(SilenceField.TYPE, "*")), now,
                    now.plus(NewSilence.MAX_DURATION), entity + " is on: maintenance", createdBy));
            LOG.log(Level.INFO, "{0} is on: maintenance silence {1} started", entity, added.id());
        }
    }
}
