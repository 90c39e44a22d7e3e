package dev.hadiag.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventQueryTest {

    private static final Instant T = Instant.parse("2026-06-03T12:00:00Z");
    private static final Event E = Event.of(T, "piha", "ha_websocket_dead", Severity.ERROR, "a", "b", "cid", Map.of());

    @Test
    void time_range_is_half_open() {
        assertThat(EventQuery.all().withSince(T).matches(E)).isTrue();
        assertThat(EventQuery.all().withUntil(T).matches(E)).isFalse();
        assertThat(EventQuery.all().withUntil(T.plusMillis(1)).matches(E)).isTrue();
    }

    @Test
    void every_filter_narrows_and_empty_sets_mean_any() {
        assertThat(EventQuery.all().matches(E)).isTrue();
        assertThat(EventQuery.all().withNodes(Set.of("other")).matches(E)).isFalse();
        assertThat(EventQuery.all().withTypes(Set.of("ha_websocket_dead")).matches(E)).isTrue();
        assertThat(EventQuery.all().withSeverities(Set.of(Severity.INFO)).matches(E)).isFalse();
        assertThat(EventQuery.all().withCorrelationIds(Set.of("cid")).matches(E)).isTrue();
    }

    @Test
    void an_inverted_range_is_rejected() {
        assertThatThrownBy(() -> EventQuery.all().withSince(T).withUntil(T.minusSeconds(1)))
                .hasMessageContaining("after");
    }
}
