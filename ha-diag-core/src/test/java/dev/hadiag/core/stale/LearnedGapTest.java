package dev.hadiag.core.stale;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The learned-gap estimator and the stale decision, one row per kind of sensor. */
class LearnedGapTest {

    /** Six usual gaps, never under 15 min, 24 h for what has no learned period, learned after 8 gaps. */
    private static final StaleRules RULES = new StaleRules(List.of("sensor"), List.of(), List.of(), Duration.ofHours(24), 6.0,
            Duration.ofMinutes(15), 8);

    /** Report times in seconds from T0: {@code n x gap} repeats a gap, plain numbers are single gaps. */
    private static ReportingProfile reports(String gaps) {
        ReportingProfile profile = ReportingProfile.first("sensor.x", T0);
        Instant at = T0;
        for (String token : gaps.trim().split("\\s+")) {
            String[] repeat = token.split("x");
            int times = repeat.length == 2 ? Integer.parseInt(repeat[0]) : 1;
            long seconds = Long.parseLong(repeat[repeat.length - 1]);
            for (int i = 0; i < times; i++) {
                at = at.plusSeconds(seconds);
                profile = profile.observe(at, true);
            }
        }
        return profile;
    }

    static Stream<Arguments> sensors() {
        return Stream.of(
                // name, gaps between reports (s), learned gap (s, -1: none), silence (s), stale?
                Arguments.of("every 5 min, silent 29 min", "20x300", 300, 29 * 60, false),
                Arguments.of("every 5 min, silent 31 min: caught at 6 x 5 min", "20x300", 300, 31 * 60, true),
                Arguments.of("every 4 to 7 min: the longest recent gap counts", "5x240 5x300 420 5x300", 420, 41 * 60, false),
                Arguments.of("every 4 to 7 min, silent 43 min", "5x240 5x300 420 5x300", 420, 43 * 60, true),
                Arguments.of("every minute: the 15 min floor, not 6 min", "30x60", 60, 14 * 60, false),
                Arguments.of("every minute, silent 16 min", "30x60", 60, 16 * 60, true),
                Arguments.of("on change, irregular: no period, silent 10 h", "10 7200 30 18000 600 45 3600 90 20000", -1, 10 * 3600, false),
                Arguments.of("on change, silent 25 h: max_age", "10 7200 30 18000 600 45 3600 90 20000", -1, 25 * 3600, true),
                Arguments.of("still learning (5 gaps), silent 2 h", "5x300", -1, 2 * 3600, false),
                Arguments.of("5-min reports, then a burst of attribute updates: no period, not flagged at 40 min",
                        "10x300 12x1", -1, 40 * 60, false),
                Arguments.of("the period changed from 5 to 10 min: the last 16 gaps follow it", "20x300 16x600", 600, 59 * 60, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sensors")
    void a_watched_sensor_is_stale_after_its_learned_multiple_only(String name, String gaps, long learnedSeconds, long silentSeconds,
            boolean stale) {
        ReportingProfile profile = reports(gaps);
        Optional<Duration> learned = RULES.learnedGap(profile);
        assertThat(learned).isEqualTo(learnedSeconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(learnedSeconds)));
        assertThat(RULES.isStale(profile, profile.lastReport().plusSeconds(silentSeconds))).isEqualTo(stale);
    }

    @Test
    void an_outage_is_not_learned_as_a_gap_and_an_unavailable_entity_is_never_stale() {
        ReportingProfile profile = reports("10x300");
        Instant last = profile.lastReport();
        ReportingProfile down = profile.observe(last.plusSeconds(60), false);
        assertThat(RULES.isStale(down, last.plus(Duration.ofDays(3)))).isFalse();

        ReportingProfile back = down.observe(last.plus(Duration.ofHours(5)), true).observe(last.plus(Duration.ofHours(5)).plusSeconds(300), true);
        assertThat(back.gaps()).allMatch(gap -> gap.equals(Duration.ofSeconds(300)));
        assertThat(RULES.learnedGap(back)).contains(Duration.ofSeconds(300));
    }

    @Test
    void the_same_report_seen_twice_changes_nothing_and_only_the_last_16_gaps_are_kept() {
        ReportingProfile profile = reports("40x300");
        assertThat(profile.gaps()).hasSize(ReportingProfile.KEPT_GAPS);
        assertThat(profile.observe(profile.lastReport(), true)).isEqualTo(profile);
        assertThat(profile.observe(profile.lastReport().minusSeconds(10), true)).isEqualTo(profile);
    }

    @Test
    void with_max_age_off_an_entity_without_a_period_is_never_stale() {
        StaleRules noMaxAge = new StaleRules(List.of("sensor"), List.of(), List.of(), Duration.ZERO, 6.0, Duration.ofMinutes(15), 8);
        ReportingProfile profile = reports("10 7200 30");
        assertThat(noMaxAge.isStale(profile, profile.lastReport().plus(Duration.ofDays(365)))).isFalse();
    }

    @Test
    void watching_is_opt_in_by_domain_device_class_or_glob() {
        StaleRules rules = new StaleRules(List.of("weather"), List.of("battery"), List.of("sensor.garden_*"), Duration.ofHours(24), 6.0,
                Duration.ofMinutes(15), 8);
        assertThat(StaleRules.DEFAULTS.watchesAnything()).isFalse();
        assertThat(Arrays.asList(
                rules.watches(state("weather.home", java.util.Map.of())),
                rules.watches(state("sensor.door_battery", java.util.Map.of("device_class", "battery"))),
                rules.watches(state("sensor.garden_temperature", java.util.Map.of())),
                rules.watches(state("sensor.kitchen_temperature", java.util.Map.of("device_class", "temperature")))))
                .containsExactly(true, true, true, false);
    }

    private static dev.hadiag.core.ha.EntityState state(String id, java.util.Map<String, Object> attributes) {
        return new dev.hadiag.core.ha.EntityState(id, "1", attributes, T0, T0);
    }
}
