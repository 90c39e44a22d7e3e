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
    void what_is_not_a_time_of_day_is_empty() {
        assertThat(Iso8601.parse("2026-06-03")).isEmpty();
        assertThat(Iso8601.parse("yesterday")).isEmpty();
        assertThat(Iso8601.parse("")).isEmpty();
    }
}
