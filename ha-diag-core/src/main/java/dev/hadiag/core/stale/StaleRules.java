package dev.hadiag.core.stale;

import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.ha.EntityState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which entities are watched for staleness, and when a watched entity counts as stale. Watching is opt-in:
 * by domain, by {@code device_class}, or by a glob on the entity id. A watched entity is stale when it has
 * not reported for longer than its threshold:
 * <ul>
 *   <li>learned: once at least {@code minSamples} gaps are known and they are regular (the longest at most
 *       {@link #REGULARITY} times the median), {@code multiple} × the longest recent gap, but never less
 *       than {@code floor};</li>
 *   <li>otherwise (still learning, or an entity that reports on change at irregular times) {@code maxAge},
 *       when set (zero turns it off).</li>
 * </ul>
 *
 * @param domains       watched domains ({@code sensor})
 * @param deviceClasses watched {@code device_class} attribute values ({@code temperature}, {@code battery})
 * @param entities      globs on watched entity ids
 * @param maxAge        the age beyond which a watched entity without a learned period is stale; zero: never
 * @param multiple      how many of its usual gaps a learned entity may stay silent
 * @param floor         the least silence that ever counts as stale for a learned entity
 * @param minSamples    how many gaps must be seen before a period counts as learned
 */
public record StaleRules(List<String> domains, List<String> deviceClasses, List<String> entities, Duration maxAge,
        double multiple, Duration floor, int minSamples) {

    /** A period is regular when its longest recent gap is at most this many times the median gap. */
    public static final double REGULARITY = 3.0;

    /** Nothing watched: staleness is opt-in, so an install that did not ask for it is never flagged. */
    public static final StaleRules DEFAULTS = new StaleRules(List.of(), List.of(), List.of(), Duration.ofHours(24), 6.0,
            Duration.ofMinutes(15), 8);

    public StaleRules {
        domains = List.copyOf(domains);
        deviceClasses = List.copyOf(deviceClasses);
        entities = List.copyOf(entities);
        if (maxAge == null || maxAge.isNegative() || floor == null || floor.isNegative() || floor.isZero()) {
            throw new IllegalArgumentException("max_age must not be negative and floor must be positive");
        }
        if (!(multiple >= 1.0) || Double.isInfinite(multiple)) {
            throw new IllegalArgumentException("multiple must be at least 1, not " + multiple);
        }
        if (minSamples < 2 || minSamples > ReportingProfile.KEPT_GAPS) {
            throw new IllegalArgumentException("min_samples must be from 2 to " + ReportingProfile.KEPT_GAPS);
        }
    }

    public boolean watchesAnything() {
        return !domains.isEmpty() || !deviceClasses.isEmpty() || !entities.isEmpty();
    }

    public boolean watches(EntityState state) {
        return domains.contains(state.domain())
                || state.attributes().get("device_class") instanceof String deviceClass && deviceClasses.contains(deviceClass)
                || IgnoreRules.matchesAny(entities, state.entityId());
    }

    /** Only a state that says something counts as a report of a working entity. */
    public static boolean isValid(String state) {
        return !state.isEmpty() && !EntityState.UNAVAILABLE.equals(state) && !EntityState.UNKNOWN.equals(state);
    }

    /** The entity's usual gap: the longest recent one, once enough are known and they are regular. */
    public Optional<Duration> learnedGap(ReportingProfile profile) {
        List<Duration> gaps = profile.gaps();
        if (gaps.size() < minSamples) {
            return Optional.empty();
        }
        List<Duration> sorted = new ArrayList<>(gaps);
        sorted.sort(null);
        Duration median = sorted.get(sorted.size() / 2);
        Duration longest = sorted.get(sorted.size() - 1);
        if (longest.toMillis() > REGULARITY * median.toMillis()) {
            return Optional.empty(); // reports on change: no period to expect
        }
        return Optional.of(longest);
    }

    /** How long the entity may stay silent, if any silence counts for it. */
    public Optional<Duration> threshold(ReportingProfile profile) {
        Optional<Duration> learned = learnedGap(profile).map(gap -> {
            Duration scaled = Duration.ofMillis((long) Math.ceil(gap.toMillis() * multiple));
            return scaled.compareTo(floor) < 0 ? floor : scaled;
        });
        if (learned.isPresent()) {
            return learned;
        }
        return maxAge.isZero() ? Optional.empty() : Optional.of(maxAge);
    }

    /** Whether the entity is stale at {@code now}. A paused profile (unavailable now) never is. */
    public boolean isStale(ReportingProfile profile, Instant now) {
        if (profile.paused()) {
            return false;
        }
        Optional<Duration> threshold = threshold(profile);
        return threshold.isPresent() && Duration.between(profile.lastReport(), now).compareTo(threshold.get()) > 0;
    }
}
