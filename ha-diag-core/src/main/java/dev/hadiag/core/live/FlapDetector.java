package dev.hadiag.core.live;

import dev.hadiag.core.ha.EntityState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Decides from availability transitions (an entity going between {@code unavailable} and any other state)
 * which entities flap: at least {@code transitions} of them within {@code window}. A flapping entity stays
 * flapping until it has been quiet (no transition) for {@code quiet}. Pure and thread-safe: transitions
 * arrive on the live connection's thread, the flapping check reads on a scheduler's.
 */
public final class FlapDetector {

    /**
     * @param transitions how many availability changes within {@code window} make an entity flap (at least 2)
     * @param window      the sliding window they are counted in
     * @param quiet       how long a flapping entity must go without a change to be stable again
     */
    public record Settings(int transitions, Duration window, Duration quiet) {
        /** Six changes (three outages) in an hour: an HA or broker restart (two changes) never flaps. */
        public static final Settings DEFAULTS = new Settings(6, Duration.ofHours(1), Duration.ofMinutes(30));

        public Settings {
            if (transitions < 2) {
                throw new IllegalArgumentException("transitions must be at least 2");
            }
            if (window == null || window.isNegative() || window.isZero() || quiet == null || quiet.isNegative() || quiet.isZero()) {
                throw new IllegalArgumentException("window and quiet must be positive");
            }
        }
    }

    /**
     * An entity that flaps now.
     *
     * @param since          the first transition of the window that made it flap
     * @param transitions    the transitions seen since then
     * @param lastTransition the latest one: {@code quiet} after it, the entity is stable
     */
    public record Flap(String entityId, Instant since, int transitions, Instant lastTransition) {
    }

    private final Settings settings;
    private final Map<String, Deque<Instant>> recent = new HashMap<>();
    private final Map<String, Flap> flapping = new HashMap<>();

    public FlapDetector(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** One availability change of an entity. Out-of-order times are taken as they come: they only widen a window. */
    public synchronized void transition(String entityId, Instant at) {
        Flap flap = flapping.get(entityId);
        if (flap != null) {
            flapping.put(entityId, new Flap(entityId, flap.since(), flap.transitions() + 1, at));
            return;
        }
        Deque<Instant> times = recent.computeIfAbsent(entityId, id -> new ArrayDeque<>());
        times.addLast(at);
        dropBefore(times, at.minus(settings.window()));
        if (times.size() >= settings.transitions()) {
            flapping.put(entityId, new Flap(entityId, times.peekFirst(), times.size(), at));
            recent.remove(entityId);
        }
    }

    /** The entities flapping at {@code now}; those quiet for the quiet period are stable and forgotten. */
    public synchronized Map<String, Flap> flapping(Instant now) {
        flapping.values().removeIf(flap -> !now.isBefore(flap.lastTransition().plus(settings.quiet())));
        // Forget counts that can no longer reach the threshold, so a big install's memory stays bounded.
        for (Iterator<Deque<Instant>> it = recent.values().iterator(); it.hasNext(); ) {
            Deque<Instant> times = it.next();
            dropBefore(times, now.minus(settings.window()));
            if (times.isEmpty()) {
                it.remove();
            }
        }
        return Map.copyOf(flapping);
    }

    /** Whether a change from {@code oldState} to {@code newState} is an availability change ("" = no state). */
    public static boolean isAvailabilityChange(String oldState, String newState) {
        if (oldState.isEmpty() || newState.isEmpty()) {
            return false; // added or removed: not a flap
        }
        return EntityState.UNAVAILABLE.equals(oldState) != EntityState.UNAVAILABLE.equals(newState);
    }

    private static void dropBefore(Deque<Instant> times, Instant cutoff) {
        while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
            times.removeFirst();
        }
    }
}
