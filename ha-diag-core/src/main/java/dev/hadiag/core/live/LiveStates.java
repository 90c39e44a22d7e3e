package dev.hadiag.core.live;

import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.stale.StaleRules;
import java.time.Instant;
import java.util.ArrayList;
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
 */
public final class LiveStates {

    /** One report of a watched entity: its time, and whether its state was valid (not unavailable or unknown). */
    public record Report(Instant at, boolean valid) {
    }

    /** Per entity, at most this many reports are kept between two runs of the stale check (the latest ones). */
    static final int MAX_REPORTS_PER_ENTITY = 64;

    private final FlapDetector flaps;
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
                flaps.transition(change.entityId(), change.at());
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
            }
        } else if (signal instanceof LiveSignal.Disconnected || signal instanceof LiveSignal.AuthRejected) {
            synchronized (this) {
                streamingSince = null;
            }
        }
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
