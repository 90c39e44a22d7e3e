package dev.hadiag.app.config;

import dev.hadiag.core.analysis.IgnoreRules;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One check's settings. Fields a check does not use keep their defaults.
 *
 * @param threshold        {@code unavailable_entities}: how long an entity must be unavailable
 * @param unknownCountsFor {@code unavailable_entities}: domains whose {@code unknown} counts as unavailable
 * @param backlogThreshold {@code recorder}: the queue length that counts as lag
 * @param ignoreIssues     {@code repairs}: globs on {@code domain/issue_id}
 */
public record CheckSettings(boolean enabled, Duration interval, Duration threshold, IgnoreRules ignore,
        Set<String> unknownCountsFor, long backlogThreshold, List<String> ignoreIssues) {

    public CheckSettings {
        unknownCountsFor = Set.copyOf(unknownCountsFor);
        ignoreIssues = List.copyOf(ignoreIssues);
    }
}
