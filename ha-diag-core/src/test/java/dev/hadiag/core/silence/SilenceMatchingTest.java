package dev.hadiag.core.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SilenceMatchingTest {

    private static final Instant NOW = Instant.parse("2026-06-03T12:00:00Z");

    private static final Finding GARAGE_DEVICE = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
            new RootCause(RootCause.Kind.DEVICE, "dev-1", "Garage sensor"), "Garage sensor is unavailable",
            List.of("sensor.garage_temp", "sensor.garage_humidity"), NOW,
            Map.of("device", "Garage sensor", "integration", "zha", "hub", Map.of("id", "hub-9", "name", "Garage hub"),
                    "labels", List.of("garage", "outdoor")));
    private static final Finding MIXED_DEVICE = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING,
            new RootCause(RootCause.Kind.DEVICE, "dev-2", "Multi sensor"), "", List.of("sensor.garage_temp", "light.kitchen"), NOW, Map.of());
    private static final Finding HUE_FAILED = new Finding(AlertType.INTEGRATION_FAILED, Severity.ERROR,
            new RootCause(RootCause.Kind.INTEGRATION, "entry-1", "Hue bridge"), "", List.of("light.a"), NOW, Map.of("domain", "hue"));
    private static final Finding HA_DEAD = new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT, "", List.of(),
            NOW, Map.of());

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of(GARAGE_DEVICE, "entity=sensor.garage_*", true),
                Arguments.of(GARAGE_DEVICE, "entity=sensor.garage_temp", false), // not every entity of the alert
                Arguments.of(MIXED_DEVICE, "entity=sensor.garage_*", false),
                Arguments.of(GARAGE_DEVICE, "device=Garage*", true),
                Arguments.of(GARAGE_DEVICE, "device=dev-1", true),
                Arguments.of(GARAGE_DEVICE, "device=Kitchen*", false),
                Arguments.of(GARAGE_DEVICE, "integration=zha", true),
                Arguments.of(HUE_FAILED, "integration=hue", true),
                Arguments.of(HUE_FAILED, "integration=entry-1", true),
                Arguments.of(GARAGE_DEVICE, "hub=Garage hub", true),
                Arguments.of(GARAGE_DEVICE, "hub=hub-9", true),
                Arguments.of(HUE_FAILED, "hub=*", false), // an alert that carries no hub matches no hub glob
                Arguments.of(GARAGE_DEVICE, "label=outdoor", true),
                Arguments.of(GARAGE_DEVICE, "label=indoor", false),
                Arguments.of(GARAGE_DEVICE, "type=ha_entity_unavailable_*", true),
                Arguments.of(HA_DEAD, "type=*", true),
                Arguments.of(HA_DEAD, "entity=*", false),
                Arguments.of(HA_DEAD, "alert_key=ha_websocket_dead:ha:homeassistant", true),
                Arguments.of(GARAGE_DEVICE, "alert_key=*device:dev-?", true),
                Arguments.of(GARAGE_DEVICE, "type=ha_entity_unavailable_long,entity=sensor.garage_*", true),
                Arguments.of(GARAGE_DEVICE, "type=ha_integration_failed,entity=sensor.garage_*", false)); // all matchers must match
    }

    @ParameterizedTest(name = "{1} on {0} → {2}")
    @MethodSource("matching")
    void a_silence_matches_an_alert_only_when_every_matcher_does(Finding finding, String matchers, boolean expected) {
        Silence silence = new Silence(1, Arrays.stream(matchers.split(",")).map(SilenceMatcher::parse).toList(), NOW, NOW.plusSeconds(60),
                "", "test", false, false, false);
        assertThat(silence.matches(AlertSubject.of(finding))).isEqualTo(expected);
    }

    static Stream<Finding> findings() {
        return Stream.of(GARAGE_DEVICE, MIXED_DEVICE, HUE_FAILED, HA_DEAD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void a_subject_reads_back_from_its_stored_form_unchanged(Finding finding) {
        AlertSubject subject = AlertSubject.of(finding);
        assertThat(AlertSubject.decode(subject.encode())).isEqualTo(subject);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("unknown field", (Runnable) () -> SilenceMatcher.parse("room=garage"), "matchers: unknown field 'room'"),
                Arguments.of("no equals sign", (Runnable) () -> SilenceMatcher.parse("entity"), "is not field=glob"),
                Arguments.of("empty glob", (Runnable) () -> SilenceMatcher.parse("entity="), "the glob of entity is empty"),
                Arguments.of("no matchers", (Runnable) () -> NewSilence.lasting(List.of(), Duration.ofHours(1), NOW, "", "t"),
                        "at least one matcher"),
                Arguments.of("zero duration", (Runnable) () -> NewSilence.lasting(List.of(SilenceMatcher.parse("type=*")), Duration.ZERO, NOW,
                        "", "t"), "duration: must be positive"),
                Arguments.of("negative duration", (Runnable) () -> NewSilence.lasting(List.of(SilenceMatcher.parse("type=*")),
                        Duration.ofMinutes(-5), NOW, "", "t"), "duration: must be positive"),
                Arguments.of("ends_at in the past", (Runnable) () -> NewSilence.until(List.of(SilenceMatcher.parse("type=*")),
                        NOW.minusSeconds(1), NOW, "", "t"), "ends_at: 2026-06-03T11:59:59Z is in the past"),
                Arguments.of("longer than a year", (Runnable) () -> NewSilence.lasting(List.of(SilenceMatcher.parse("type=*")),
                        Duration.ofDays(400), NOW, "", "t"), "at most 366 days"),
                Arguments.of("too long a comment", (Runnable) () -> NewSilence.lasting(List.of(SilenceMatcher.parse("type=*")),
                        Duration.ofHours(1), NOW, "x".repeat(1001), "t"), "comment: is longer than 1000"),
                Arguments.of("duration words", (Runnable) () -> NewSilence.parseDuration("two hours"), "not a duration like"),
                Arguments.of("negative ISO duration", (Runnable) () -> NewSilence.parseDuration("PT-1H"), "must be positive"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void bad_input_is_refused_with_a_message_naming_the_field(String what, Runnable attempt, String message) {
        assertThatThrownBy(attempt::run).isInstanceOf(InvalidSilenceException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void durations_read_as_people_write_them(String text, Duration expected) {
        assertThat(NewSilence.parseDuration(text)).isEqualTo(expected);
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("90s", Duration.ofSeconds(90)), Arguments.of("30m", Duration.ofMinutes(30)),
                Arguments.of("2h", Duration.ofHours(2)), Arguments.of("1d", Duration.ofDays(1)), Arguments.of("PT2H", Duration.ofHours(2)));
    }

    @ParameterizedTest(name = "at +{0}s: {1}")
    @MethodSource("windows")
    void a_silence_is_active_from_its_start_until_just_before_its_end(long seconds, boolean active) {
        Silence silence = new Silence(1, List.of(SilenceMatcher.parse("type=*")), NOW, NOW.plusSeconds(60), "", "t", false, false, false);
        assertThat(silence.activeAt(NOW.plusSeconds(seconds))).isEqualTo(active);
    }

    static Stream<Arguments> windows() {
        return Stream.of(Arguments.of(-1, false), Arguments.of(0, true), Arguments.of(59, true), Arguments.of(60, false));
    }
}
