package dev.hadiag.core.live;

import dev.hadiag.core.ha.EntityState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides from availability transitions (an entity going between {@code unavailable} and any other state)
 * which entities flap: at least {@code transitions} of them within {@code window}. A flapping entity stays
 * flapping until it has been quiet (no transition) for {@code quiet}. Pure and thread-safe: transitions
 * arrive on the live connection's thread, the checks read on a scheduler's.
 *
 * <p>Not every change counts (issue 24, root-cause order): the caller says whether a change into
 * {@code unavailable} counts (not while HA stops or starts); the change back counts only when the one into
 * {@code unavailable} did; and a higher cause found later (a hub, an integration) {@link #explain explains}
 * an entity's current outage, which takes its change into {@code unavailable} back and makes the change out
 * of it not count either. Its state can be kept and restored ({@link #memory()}, {@link #restore}), so a
 * restart of the agent neither forgets a flap nor resolves its alert.
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
     * @param transitions    the transitions counted since then
     * @param lastTransition the latest one: {@code quiet} after it, the entity is stable
     */
    public record Flap(String entityId, Instant since, int transitions, Instant lastTransition) {
    }

    /** Per entity: its latest counted changes (at most {@code transitions}), its flap, and its current outage. */
    private static final class Track {
        final Deque<Instant> counted = new ArrayDeque<>();
        Flap flap;
        /** When the stream saw it go unavailable, while it still is; null when it is not (or the stream did not see it). */
        Instant downAt;
        /** Whether that change into unavailable counted. */
        boolean downCounted;

        boolean isEmpty() {
            return counted.isEmpty() && flap == null && downAt == null;
        }
    }

    private final Settings settings;
    private final Map<String, Track> tracks = new HashMap<>();

    public FlapDetector(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** One availability change that counts. Out-of-order times are taken as they come: they only widen a window. */
    public synchronized void transition(String entityId, Instant at) {
        count(tracks.computeIfAbsent(entityId, id -> new Track()), entityId, at);
    }

    /**
     * An entity went unavailable.
     *
     * @param counts false while the change is HA's own (stopping, starting): then neither it nor the change
     *               back counts
     */
    public synchronized void wentUnavailable(String entityId, Instant at, boolean counts) {
        Track track = tracks.computeIfAbsent(entityId, id -> new Track());
        if (track.downAt != null && !track.downCounted) {
            return; // a higher cause explained this outage before its change reached the stream: it stays uncounted
        }
        track.downAt = at;
        track.downCounted = counts;
        if (counts) {
            count(track, entityId, at);
        }
    }

    /**
     * An entity is available again. It counts when {@code counts} and its change into unavailable, if the
     * stream saw one, counted too (an outage that began unseen, e.g. before the agent connected, counts its end).
     */
    public synchronized void cameBack(String entityId, Instant at, boolean counts) {
        Track track = tracks.get(entityId);
        boolean downSeen = track != null && track.downAt != null;
        boolean downCounted = downSeen && track.downCounted;
        if (track != null) {
            track.downAt = null;
        }
        if (counts && (!downSeen || downCounted)) {
            count(tracks.computeIfAbsent(entityId, id -> new Track()), entityId, at);
        } else if (track != null && track.isEmpty()) {
            tracks.remove(entityId);
        }
    }

    /** The entity is gone from HA (removed): its outage, if any, is over without a change that counts. */
    public synchronized void removed(String entityId) {
        Track track = tracks.get(entityId);
        if (track != null) {
            track.downAt = null;
            if (track.isEmpty()) {
                tracks.remove(entityId);
            }
        }
    }

    /**
     * A higher cause (a hub cut off, an integration wholly down or failed) explains the current outage of
     * these entities, all unavailable now: the change that began it no longer counts, nor will the change
     * that ends it.
     */
    public synchronized void explain(Collection<String> entityIds, Instant at) {
        for (String entityId : entityIds) {
            Track track = tracks.computeIfAbsent(entityId, id -> new Track());
            if (track.downAt != null && track.downCounted) {
                uncount(track, track.downAt);
            }
            if (track.downAt == null) {
                track.downAt = at; // the stream did not see it go down: its coming back must not count either
            }
            track.downCounted = false;
        }
    }

    /** The entities flapping at {@code now}; those quiet for the quiet period are stable and forgotten. */
    public synchronized Map<String, Flap> flapping(Instant now) {
        Map<String, Flap> result = new HashMap<>();
        // Forget what can no longer count, so a big install's memory stays bounded.
        for (Iterator<Map.Entry<String, Track>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Track> entry = it.next();
            Track track = entry.getValue();
            if (track.flap != null && !now.isBefore(track.flap.lastTransition().plus(settings.quiet()))) {
                track.flap = null;
                track.counted.clear(); // stable: it starts counting from nothing again
            }
            dropBefore(track.counted, now.minus(settings.window()));
            if (track.flap != null) {
                result.put(entry.getKey(), track.flap);
            } else if (track.isEmpty()) {
                it.remove();
            }
        }
        return Map.copyOf(result);
    }

    // --- keeping the state across a restart of the agent ---

    private static final String COUNTED = "c";
    private static final String FLAP_SINCE = "f";
    private static final String FLAP_LAST = "l";

    /**
     * The state worth keeping, as the store's first-seen times can hold it (key → instant): each counted change
     * ({@code c:<n>:<entity>}), each flap's start with its count ({@code f:<count>:<entity>}) and its last change
     * ({@code l:0:<entity>}). An outage under way is not kept: after a restart its end counts, as any unseen one's.
     */
    public synchronized Map<String, Instant> memory() {
        Map<String, Instant> memory = new HashMap<>();
        tracks.forEach((entityId, track) -> {
            int n = 0;
            for (Instant at : track.counted) {
                memory.put(COUNTED + ":" + n++ + ":" + entityId, at);
            }
            if (track.flap != null) {
                memory.put(FLAP_SINCE + ":" + track.flap.transitions() + ":" + entityId, track.flap.since());
                memory.put(FLAP_LAST + ":0:" + entityId, track.flap.lastTransition());
            }
        });
        return memory;
    }

    /**
     * Adds what {@link #memory()} kept to what was seen since: counted changes merge (the latest
     * {@code transitions} kept), a kept flap applies unless the entity flaps again already. Keys it cannot read
     * are skipped.
     */
    public synchronized void restore(Map<String, Instant> memory) {
        Map<String, List<Instant>> counted = new HashMap<>();
        Map<String, Flap> flaps = new HashMap<>();
        Map<String, Instant> lasts = new HashMap<>();
        memory.forEach((key, at) -> {
            String[] parts = key.split(":", 3);
            if (parts.length != 3 || parts[2].isEmpty()) {
                return;
            }
            switch (parts[0]) {
                case COUNTED -> counted.computeIfAbsent(parts[2], id -> new ArrayList<>()).add(at);
                case FLAP_SINCE -> {
                    try {
                        flaps.put(parts[2], new Flap(parts[2], at, Integer.parseInt(parts[1]), at));
                    } catch (NumberFormatException e) {
                        // not ours: skipped
                    }
                }
                case FLAP_LAST -> lasts.put(parts[2], at);
                default -> {
                }
            }
        });
        counted.forEach((entityId, times) -> {
            Track track = tracks.computeIfAbsent(entityId, id -> new Track());
            List<Instant> merged = new ArrayList<>(times);
            merged.addAll(track.counted);
            List<Instant> distinct = merged.stream().distinct().sorted().toList();
            track.counted.clear();
            distinct.subList(Math.max(0, distinct.size() - settings.transitions()), distinct.size()).forEach(track.counted::addLast);
        });
        flaps.forEach((entityId, flap) -> {
            Track track = tracks.computeIfAbsent(entityId, id -> new Track());
            if (track.flap == null) {
                Instant last = lasts.getOrDefault(entityId, flap.since());
                Instant newest = track.counted.isEmpty() ? last : track.counted.peekLast();
                track.flap = new Flap(entityId, flap.since(), flap.transitions(), newest.isAfter(last) ? newest : last);
            }
        });
    }

    /** Whether a change from {@code oldState} to {@code newState} is an availability change ("" = no state). */
    public static boolean isAvailabilityChange(String oldState, String newState) {
        if (oldState.isEmpty() || newState.isEmpty()) {
            return false; // added or removed: not a flap
        }
        return EntityState.UNAVAILABLE.equals(oldState) != EntityState.UNAVAILABLE.equals(newState);
    }

    private void count(Track track, String entityId, Instant at) {
        track.counted.addLast(at);
        while (track.counted.size() > settings.transitions()) {
            track.counted.removeFirst();
        }
        dropBefore(track.counted, at.minus(settings.window()));
        if (track.flap != null) {
            Instant last = at.isAfter(track.flap.lastTransition()) ? at : track.flap.lastTransition();
            track.flap = new Flap(entityId, track.flap.since(), track.flap.transitions() + 1, last);
        } else if (track.counted.size() >= settings.transitions()) {
            track.flap = new Flap(entityId, track.counted.peekFirst(), track.counted.size(), at);
        }
    }

    /** Takes one counted change back: a flap it alone made ends, as if it never began. */
    private void uncount(Track track, Instant at) {
        track.counted.removeFirstOccurrence(at);
        if (track.flap != null) {
            int left = track.flap.transitions() - 1;
            if (left < settings.transitions()) {
                track.flap = null;
            } else {
                Instant last = track.flap.lastTransition().equals(at) && !track.counted.isEmpty() ? track.counted.peekLast()
                        : track.flap.lastTransition();
                track.flap = new Flap(track.flap.entityId(), track.flap.since(), left, last);
            }
        }
    }

    private static void dropBefore(Deque<Instant> times, Instant cutoff) {
        while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
            times.removeFirst();
        }
    }
}
