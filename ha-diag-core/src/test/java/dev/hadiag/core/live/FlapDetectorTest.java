package dev.hadiag.core.live;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The flap detector: four changes within 10 min flap, 5 min of quiet is stable. */
class FlapDetectorTest {

    private static final FlapDetector.Settings SETTINGS = new FlapDetector.Settings(4, Duration.ofMinutes(10), Duration.ofMinutes(5));

    static Stream<Arguments> histories() {
        return Stream.of(
                // name, transition times (s from T0), asked at (s), flapping?, since (s, when flapping)
                Arguments.of("four changes within the window", "0 120 240 540", 540, true, 0),
                Arguments.of("four changes over 11 min: the window slides", "0 120 240 660", 660, false, -1),
                Arguments.of("three changes are not enough", "0 60 120", 120, false, -1),
                Arguments.of("an early change then four close ones: since the first of the window", "0 1000 1060 1120 1180", 1180, true, 1000),
                Arguments.of("flapping, then quiet for 5 min: stable", "0 60 120 180", 180 + 300, false, -1),
                Arguments.of("flapping, quiet for 4 min 59 s: still flapping", "0 60 120 180", 180 + 299, true, 0),
                Arguments.of("flapping, a change after 4 min restarts the quiet period", "0 60 120 180 420", 420 + 299, true, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void an_entity_flaps_after_n_changes_within_the_window_until_quiet(String name, String times, long askedAt, boolean flapping,
            long since) {
        FlapDetector detector = new FlapDetector(SETTINGS);
        Arrays.stream(times.split(" ")).mapToLong(Long::parseLong).forEach(s -> detector.transition("sensor.x", T0.plusSeconds(s)));
        var now = detector.flapping(T0.plusSeconds(askedAt));
        assertThat(now.containsKey("sensor.x")).isEqualTo(flapping);
        if (flapping) {
            assertThat(now.get("sensor.x").since()).isEqualTo(T0.plusSeconds(since));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({"on,unavailable,true", "unavailable,on,true", "unavailable,unknown,true", "on,off,false", "unknown,on,false",
            "unavailable,unavailable,false", "'',unavailable,false", "unavailable,'',false"})
    void only_a_change_into_or_out_of_unavailable_counts(String from, String to, boolean counts) {
        assertThat(FlapDetector.isAvailabilityChange(from, to)).isEqualTo(counts);
    }

    @Test
    void entities_are_counted_apart_and_stable_ones_are_forgotten() {
        FlapDetector detector = new FlapDetector(SETTINGS);
        for (int i = 0; i < 4; i++) {
            detector.transition("sensor.a", T0.plusSeconds(i * 10L));
            detector.transition("sensor.b" + i, T0.plusSeconds(i * 10L));
        }
        assertThat(detector.flapping(T0.plusSeconds(40))).containsOnlyKeys("sensor.a");
        assertThat(detector.flapping(T0.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void a_change_back_counts_only_when_the_change_into_unavailable_did_or_was_not_seen() {
        FlapDetector detector = new FlapDetector(SETTINGS);
        detector.wentUnavailable("sensor.x", T0, false); // HA stopping
        detector.cameBack("sensor.x", T0.plusSeconds(10), true);
        detector.cameBack("sensor.y", T0.plusSeconds(10), true); // went down before the agent saw it
        detector.wentUnavailable("sensor.z", T0.plusSeconds(20), true);
        detector.cameBack("sensor.z", T0.plusSeconds(30), false); // back while HA starts
        assertThat(detector.memory()).containsOnlyKeys("c:0:sensor.y", "c:0:sensor.z");
    }

    @Test
    void an_explained_outage_takes_back_its_start_and_its_end_never_counts() {
        FlapDetector detector = new FlapDetector(SETTINGS);
        detector.cameBack("sensor.x", T0, true);
        detector.wentUnavailable("sensor.x", T0.plusSeconds(10), true);
        detector.cameBack("sensor.x", T0.plusSeconds(20), true);
        detector.wentUnavailable("sensor.x", T0.plusSeconds(30), true); // the fourth: it flaps
        assertThat(detector.flapping(T0.plusSeconds(31))).containsKey("sensor.x");
        // Then the unavailable check finds its hub cut off: the change that made it flap is the hub's.
        detector.explain(java.util.List.of("sensor.x"), T0.plusSeconds(35));
        detector.cameBack("sensor.x", T0.plusSeconds(40), true);
        assertThat(detector.flapping(T0.plusSeconds(41))).isEmpty();
        // Its own outages count on: the next one makes it flap.
        detector.wentUnavailable("sensor.x", T0.plusSeconds(50), true);
        assertThat(detector.flapping(T0.plusSeconds(51))).containsKey("sensor.x");
    }

    @Test
    void its_memory_restores_flaps_and_counted_changes_in_a_new_detector_merged_with_what_it_saw_since() {
        FlapDetector before = new FlapDetector(SETTINGS);
        for (int i = 0; i < 5; i++) {
            before.transition("sensor.flapping", T0.plusSeconds(i * 10L));
        }
        before.transition("sensor.counting", T0);
        before.transition("sensor.counting", T0.plusSeconds(10));
        FlapDetector.Flap flap = before.flapping(T0.plusSeconds(50)).get("sensor.flapping");

        FlapDetector after = new FlapDetector(SETTINGS);
        after.transition("sensor.counting", T0.plusSeconds(60));
        after.restore(before.memory());
        after.restore(java.util.Map.of("garbage", T0, "f:x:sensor.bad", T0)); // skipped
        assertThat(after.flapping(T0.plusSeconds(70))).containsOnlyKeys("sensor.flapping")
                .containsEntry("sensor.flapping", flap);
        after.transition("sensor.counting", T0.plusSeconds(80));
        assertThat(after.flapping(T0.plusSeconds(90))).containsKeys("sensor.flapping", "sensor.counting");
        assertThat(after.flapping(T0.plusSeconds(90)).get("sensor.counting").since()).isEqualTo(T0);
    }

    @Test
    void an_outage_explained_before_its_change_reached_the_stream_does_not_count_either() {
        FlapDetector detector = new FlapDetector(SETTINGS);
        detector.explain(java.util.List.of("sensor.x"), T0); // the unavailable check read HA a moment before the event arrived
        detector.wentUnavailable("sensor.x", T0.plusMillis(20), true);
        detector.cameBack("sensor.x", T0.plusSeconds(30), true);
        assertThat(detector.memory()).isEmpty();
    }
}
