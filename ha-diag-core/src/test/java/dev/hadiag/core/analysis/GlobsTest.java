package dev.hadiag.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobsTest {

    private static boolean matches(String glob, String value) {
        return Globs.of(List.of(glob)).matchesAny(value);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "sensor.garage_*|sensor.garage_door|true",
            "sensor.garage_*|sensor.garage_|true",
            "sensor.garage_*|binary_sensor.garage_door|false",
            "*_battery|sensor.phone_battery|true",
            "*_battery|sensor.phone_battery_level|false",
            "*garage*|light.garage_main|true",
            "sensor.?_temp|sensor.a_temp|true",
            "sensor.?_temp|sensor.ab_temp|false",
            "ab*ba|aba|false",
            "ab*ba|abba|true",
            "ab*ba|ab_x_ba|true",
            "a*b*c|axxbyyc|true",
            "a*b*c|axxcyyb|false",
            "*a*a*b|aaab|true",
            "*a*a*b|ab|false",
            "**|anything|true",
            "*|''|true",
            "''|''|true",
            "''|x|false",
            "exact|exact|true",
            "exact|exactly|false",
            "?|''|false",
            "*?*|x|true",
            "a**b|ab|true",
    })
    void a_glob_matches_as_star_and_question_mark_say(String glob, String value, boolean expected) {
        assertThat(matches(glob, value)).isEqualTo(expected);
    }

    @Test
    void a_glob_agrees_with_the_regular_expression_it_stands_for_on_random_globs_and_values() {
        Random random = new Random(24);
        String alphabet = "ab*?";
        for (int i = 0; i < 20_000; i++) {
            String glob = randomString(random, alphabet, 7);
            String value = randomString(random, "ab", 9);
            assertThat(matches(glob, value)).as("%s ~ %s", glob, value).isEqualTo(regex(glob).matcher(value).matches());
        }
    }

    /**
     * The silence that froze every check (issue 24): the backtracking regular expression took exponential time here. The
     * timeout only keeps a regression from hanging the build; the match itself takes microseconds.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_glob_of_many_stars_never_holds_the_caller_on_a_long_value_that_almost_matches() {
        String glob = "*a".repeat(15) + "*b";
        for (int length = 60; length <= 255; length++) {
            assertThat(matches(glob, "a".repeat(length))).isFalse();
            assertThat(matches(glob, "a".repeat(length) + "b")).isTrue();
        }
        assertThat(matches("?".repeat(100) + "*" + "?*".repeat(100) + "c", "x".repeat(10_000))).isFalse();
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** What the globs meant before: the reference, fine on short values. */
    private static Pattern regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
