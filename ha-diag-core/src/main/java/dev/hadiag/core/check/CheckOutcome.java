package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import java.util.List;
import java.util.Map;

/** How a run of a check ended. */
public sealed interface CheckOutcome {

    /**
     * The check saw HA and reports every current cause (none: all is well).
     *
     * @param otherChecksCauses current causes another check alerts for, which explain some of this check's
     *                          symptoms (see {@link dev.hadiag.core.alert.AlertLifecycle})
     * @param note              what an operator reading a report may want to know beyond the findings, or empty
     * @param measures          counts of what the check saw, by name (see {@link dev.hadiag.core.diagnostics.CheckReport})
     * @param haSeen            what the check saw of HA itself (the heartbeat's answer); {@link HaSeen#NOT_LOOKED} for the others
     */
    record Completed(List<Finding> findings, List<Finding> otherChecksCauses, String note, Map<String, Long> measures, HaSeen haSeen)
            implements CheckOutcome {
        public Completed {
            findings = List.copyOf(findings);
            otherChecksCauses = List.copyOf(otherChecksCauses);
            note = note == null ? "" : note;
            measures = Map.copyOf(measures);
            haSeen = haSeen == null ? HaSeen.NOT_LOOKED : haSeen;
        }

        public Completed(List<Finding> findings, List<Finding> otherChecksCauses, String note, Map<String, Long> measures) {
            this(findings, otherChecksCauses, note, measures, HaSeen.NOT_LOOKED);
        }

        public Completed(List<Finding> findings, List<Finding> otherChecksCauses, String note) {
            this(findings, otherChecksCauses, note, Map.of());
        }

        public static Completed of(List<Finding> findings) {
            return new Completed(findings, List.of(), "");
        }
    }

    /** The check did not look, for a reason that is not a fault of the check (HA unreachable, starting). */
    record Skipped(String reason) implements CheckOutcome {
    }

    /** The check could not run: HA answered with something it cannot use, or the agent failed. */
    record Failed(String reason) implements CheckOutcome {
    }
}
