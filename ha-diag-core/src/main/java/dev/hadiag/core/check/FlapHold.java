package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds the unavailable alerts of what flaps: the flapping check leaves its current causes here, and the
 * unavailable check neither opens an alert whose entities all flap nor keeps one open (the flapping alert
 * absorbs it, once open). So a flapping entity is one {@code ha_entity_flapping}, not an unavailable alert
 * opened and resolved over and over.
 */
public final class FlapHold {

    private volatile List<Finding> causes = List.of();

    void set(List<Finding> flapping) {
        causes = List.copyOf(flapping);
    }

    /** The current flapping causes, as the unavailable check's "other checks' causes". */
    public List<Finding> causes() {
        return causes;
    }

    /** {@code findings} without those whose entities all flap now. */
    public List<Finding> release(List<Finding> findings) {
        List<Finding> current = causes;
        if (current.isEmpty()) {
            return findings;
        }
        Set<String> flapping = new HashSet<>();
        current.forEach(cause -> flapping.addAll(cause.entities()));
        return findings.stream().filter(f -> f.entities().isEmpty() || !flapping.containsAll(f.entities())).toList();
    }
}
