package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.live.LiveStates;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the flapping and the unavailable checks share, both ways. The flapping check leaves its current
 * causes here, and the unavailable check neither opens an alert whose entities all flap nor keeps one open
 * (the flapping alert absorbs it, once open): so a flapping entity is one {@code ha_entity_flapping}, not an
 * unavailable alert opened and resolved over and over. But an outage held here is let go once it has lasted
 * the flap window: what stays down that long is down, not flapping, and alerts (issue 24). The other way, the
 * unavailable check tells the live stream which outages a higher cause explains, so they never count toward
 * flapping.
 */
public final class FlapHold {

    private final Duration maxHold;
    private final BiConsumer<Collection<String>, Instant> explained;
    private volatile List<Finding> causes = List.of();

    /** Holds for the default flap window and passes explanations nowhere (no live stream). */
    public FlapHold() {
        this.maxHold = FlapDetector.Settings.DEFAULTS.window();
        this.explained = (entities, at) -> { };
    }

    /** @param live the live stream's state: its flap window bounds a hold, and it learns what higher causes explain */
    public FlapHold(LiveStates live) {
        this.maxHold = live.flapSettings().window();
        this.explained = live::explain;
    }

    void set(List<Finding> flapping) {
        causes = List.copyOf(flapping);
    }

    /** The current flapping causes, as the unavailable check's "other checks' causes". */
    public List<Finding> causes() {
        return causes;
    }

    /** {@code findings} without those whose entities all flap now, unless they have been down for the flap window. */
    public List<Finding> release(List<Finding> findings, Instant now) {
        List<Finding> current = causes;
        if (current.isEmpty()) {
            return findings;
        }
        Set<String> flapping = new HashSet<>();
        current.forEach(cause -> flapping.addAll(cause.entities()));
        return findings.stream().filter(f -> f.entities().isEmpty() || !flapping.containsAll(f.entities())
                || !now.isBefore(f.since().plus(maxHold))).toList();
    }

    /** These unavailable entities' current outage has a higher cause (a hub, an integration): it is no flapping. */
    void explainedByHigherCause(Collection<String> entityIds, Instant at) {
        explained.accept(entityIds, at);
    }
}
