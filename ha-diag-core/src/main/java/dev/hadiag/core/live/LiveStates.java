package dev.hadiag.core.live;

import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.stale.StaleRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the live {@code state_changed} stream tells the checks that cannot learn it from a snapshot: which
 * entities flap ({@link FlapDetector}), and every report of the entities the stale check watches, between
 * two of its runs. Everything else in the stream is dropped at once, so a busy install costs one map lookup
 * per event. Thread-safe: signals arrive on the live connection's thread, checks read on theirs.
 *
 * <p>HA's own restarts are no flapping (issue 24): a change into {@code unavailable} counts neither within
 * {@link OutageClassifier#ANNOUNCEMENT_VALIDITY} after HA announced its stop nor within {@link #RESTART_SETTLE}
 * after a reconnect that followed HA's restart (announced, closed by HA, its port refused) or an outage of
 * at least {@link #BLIP} (HA starting: restored placeholders replaced, integrations connecting; and what the
 * agent missed meanwhile), and the change out of it then does not count either.
 */
public final class LiveStates {

    /** One report of a watched entity: its time, and whether its state was valid (not unavailable or unknown). */
    public record Report(Instant at, boolean valid) {
    }

    /** Per entity, at most this many reports are kept between two runs of the stale check (the latest ones). */
    static final int MAX_REPORTS_PER_ENTITY = 64;

    /** After a reconnect, how long HA's start (and whatever the agent missed meanwhile) makes changes not count. */
    public static final Duration RESTART_SETTLE = Duration.ofMinutes(2);

    private final FlapDetector flaps;
    /**
     * A reconnect after a shorter outage with no sign of HA's restart is a network blip: nothing of HA restarted,
     * so changes count at once (a connection that blips all the time must not stop the counting for good). The
     * default {@code websocket.grace}: a longer outage alerts as {@code ha_websocket_dead}, so is never silent.
     */
    static final Duration BLIP = Duration.ofSeconds(10);

    private Instant stopAnnouncedAt;
    private Instant disconnectedAt;
    private boolean restartSigns;
    private Instant settleUntil;
    private volatile Set<String> watched = Set.of();
    private final Map<String, List<Report>> reports = new HashMap<>();
    private Instant streamingSince;

    public LiveStates(FlapDetector.Settings flapSettings) {
        this.flaps = new FlapDetector(flapSettings);
    }

    public FlapDetector.Settings flapSettings() {
        return flaps.settings();
    }

    /** Takes every live signal: the connection's state, and each state change. */
    public void onSignal(LiveSignal signal) {
        if (signal instanceof LiveSignal.StateChanged change) {
            if (FlapDetector.isAvailabilityChange(change.oldState(), change.newState())) {
                boolean counts = !isHaRestarting(change.at());
                if (EntityState.UNAVAILABLE.equals(change.newState())) {
                    flaps.wentUnavailable(change.entityId(), change.at(), counts);
                } else {
                    flaps.cameBack(change.entityId(), change.at(), counts);
                }
            } else if (change.newState().isEmpty()) {
                flaps.removed(change.entityId());
            }
            if (watched.contains(change.entityId()) && !change.newState().isEmpty()) {
                synchronized (this) {
                    List<Report> list = reports.computeIfAbsent(change.entityId(), id -> new ArrayList<>(4));
                    if (list.size() == MAX_REPORTS_PER_ENTITY) {
                        list.remove(0);
                    }
                    list.add(new Report(change.reportedAt(), StaleRules.isValid(change.newState())));
                }
            }
        } else if (signal instanceof LiveSignal.Connected connected) {
            synchronized (this) {
                streamingSince = connected.at();
                // A first connection that nothing failed before is no restart; a blip without a sign of one neither.
                boolean announced = stopAnnouncedAt != null && disconnectedAt != null
                        && disconnectedAt.isBefore(stopAnnouncedAt.plus(OutageClassifier.ANNOUNCEMENT_VALIDITY));
                if (disconnectedAt != null && (restartSigns || announced || !connected.at().isBefore(disconnectedAt.plus(BLIP)))) {
                    settleUntil = connected.at().plus(RESTART_SETTLE);
                }
                disconnectedAt = null;
                restartSigns = false;
                stopAnnouncedAt = null;
            }
        } else if (signal instanceof LiveSignal.Disconnected || signal instanceof LiveSignal.AuthRejected) {
            synchronized (this) {
                streamingSince = null;
                if (disconnectedAt == null) {
                    disconnectedAt = signal.at();
                }
                // HA closing every socket as it stops (2026.11), or its port refusing: HA's process stopped.
                if (signal instanceof LiveSignal.Disconnected disconnected && (disconnected.cause() == LiveSignal.DisconnectCause.CLOSED_BY_HA
                        || disconnected.cause() == LiveSignal.DisconnectCause.REFUSED)) {
                    restartSigns = true;
                }
            }
        } else if (signal instanceof LiveSignal.StopAnnounced announced) {
            synchronized (this) {
                stopAnnouncedAt = announced.at();
            }
        }
    }

    /** Whether a change at {@code at} is HA's own: it stops, or has just come back (or the agent has just reconnected). */
    private synchronized boolean isHaRestarting(Instant at) {
        if (stopAnnouncedAt != null && !at.isBefore(stopAnnouncedAt) && at.isBefore(stopAnnouncedAt.plus(OutageClassifier.ANNOUNCEMENT_VALIDITY))) {
            return true;
        }
        return settleUntil != null && at.isBefore(settleUntil);
    }

    /**
     * A higher cause (a hub, an integration wholly down or failed) explains the current outage of these
     * entities: it does not count toward their flapping, neither its start nor its end.
     */
    public void explain(Collection<String> entityIds, Instant at) {
        if (!entityIds.isEmpty()) {
            flaps.explain(entityIds, at);
        }
    }

    /** The flap detector's state to keep across a restart of the agent ({@link FlapDetector#memory()}). */
    public Map<String, Instant> flapMemory() {
        return flaps.memory();
    }

    /** Restores what {@link #flapMemory()} kept before a restart of the agent. */
    public void restoreFlaps(Map<String, Instant> memory) {
        flaps.restore(memory);
    }

    /** Since when the stream has been up without a break; empty while it is down (or never ran, as in {@code check}). */
    public synchronized Optional<Instant> streamingSince() {
        return Optional.ofNullable(streamingSince);
    }

    public Map<String, FlapDetector.Flap> flapping(Instant now) {
        return flaps.flapping(now);
    }

    /** The entities whose reports to keep from now on (the stale check's watched ones). */
    public void watch(Set<String> entityIds) {
        Set<String> next = Set.copyOf(entityIds);
        watched = next;
        synchronized (this) {
            reports.keySet().retainAll(next);
        }
    }

    /** The reports kept since the last call, oldest first per entity, and forgets them. */
    public synchronized Map<String, List<Report>> drainReports() {
        Map<String, List<Report>> drained = new HashMap<>(reports);
        reports.clear();
        return drained;
    }
}
