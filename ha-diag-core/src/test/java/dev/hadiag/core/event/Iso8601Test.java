package dev.hadiag.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Iso8601Test {

    private static final Instant AT = Instant.parse("2026-06-03T17:00:00.250Z");

    @Test
    void z_an_offset_and_no_zone_at_all_read_as_the_same_instant() {
        assertThat(Iso8601.parse("2026-06-03T17:00:00.250Z")).contains(AT);
        assertThat(Iso8601.parse("2026-06-03T19:00:00.250+02:00")).contains(AT);
        assertThat(Iso8601.parse("2026-06-03T17:00:00.250")).contains(AT);
    }

    @Test
    void every_shape_reads_as_the_general_parser_reads_it() {
        // HA's own shape takes a hand-written path; this pins it to what OffsetDateTime and LocalDateTime say
        for (String text : new String[] {"2026-11-24T10:00:00.123456+00:00", "2026-11-24T10:00:00+00:00",
                "2026-11-24T10:00:00Z", "2026-11-24T10:00:00.1Z", "2026-11-24T10:00:00.123456789-05:30",
                "2024-02-29T23:59:59.999999+14:00", "1970-01-01T00:00:00-18:00", "2026-12-31T23:59:59.5",
                "2026-11-24T10:00:00", "2026-11-24t10:00:00Z", "2026-11-24T10:00Z", "+12026-11-24T10:00:00Z", "2026-11-24T10:00:00.Z"}) {
            assertThat(Iso8601.parse(text)).as(text).isEqualTo(general(text));
        }
    }

    @Test
    void impossible_dates_times_and_offsets_are_empty_as_before() {
        for (String text : new String[] {"2026-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-13-01T10:00:00Z",
                "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z", "2026-11-24T10:00:60Z", "2026-11-24T10:00:00+19:00",
                "2026-11-24T10:00:00.1234567890Z", "2026-11-24T10:00:00+00:00x",
                "2026-1a-24T10:00:00Z", "2026-11-24T10:00:00 +00:00", "2026-11-24T10:00:00.\u0661Z"}) {
            assertThat(Iso8601.parse(text)).as(text).isEmpty();
            assertThat(general(text)).as(text).isEmpty();
        }
    }

    private static java.util.Optional<Instant> general(String text) {
        try {
            return java.util.Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.util.Optional.of(java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC));
            } catch (java.time.format.DateTimeParseException again) {
                return java.util.Optional.empty();
            }
        }
    }

    @Test
    void what_is_not_a_time_of_day_is_empty() {
        assertThat(Iso8601.parse("2026-06-03")).isEmpty();
        assertThat(Iso8601.parse("yesterday")).isEmpty();
        assertThat(Iso8601.parse("")).isEmpty();
    }
}
