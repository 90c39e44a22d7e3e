package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.app.agent.PrometheusText.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void a_family_is_its_help_and_type_then_its_samples() {
        String text = new PrometheusText().family("ha_diag_ha_up", Type.GAUGE, "1 while HA answers").sample("ha_diag_ha_up", Map.of(), 1.0)
                .family("ha_diag_events_emitted_total", Type.COUNTER, "event files written")
                .sample("ha_diag_events_emitted_total", Map.of("type", "ha_update_available"), 3.0).toString();

        assertThat(text).isEqualTo("""
                # HELP ha_diag_ha_up 1 while HA answers
                # TYPE ha_diag_ha_up gauge
                ha_diag_ha_up 1.0
                # HELP ha_diag_events_emitted_total event files written
                # TYPE ha_diag_events_emitted_total counter
                ha_diag_events_emitted_total{type="ha_update_available"} 3.0
                """);
        PrometheusTextFormat.assertValid(text);
    }

    @Test
    void label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("destination", "webhook \"x\"\\y\nz");
        labels.put("check", "a,b=c}");
        String text = new PrometheusText().family("ha_diag_relay_up", Type.GAUGE, "a \"quoted\" C:\\path\nsecond line")
                .sample("ha_diag_relay_up", labels, 0.0).toString();

        assertThat(text).isEqualTo("""
                # HELP ha_diag_relay_up a "quoted" C:\\\\path\\nsecond line
                # TYPE ha_diag_relay_up gauge
                ha_diag_relay_up{destination="webhook \\"x\\"\\\\y\\nz",check="a,b=c}"} 0.0
                """);
        PrometheusTextFormat.assertValid(text);
        PrometheusTextFormat.assertPromtoolParses(text);
    }

    @Test
    void specials_are_spelled_as_prometheus_reads_them_and_counts_have_no_fraction() {
        String text = new PrometheusText().family("x_seconds", Type.SUMMARY, "h").sample("x_seconds_count", Map.of(), 7L)
                .sample("x_seconds_sum", Map.of(), 1.796667164523E9).family("y", Type.GAUGE, "h").sample("y", Map.of("a", "1"), Double.NaN)
                .sample("y", Map.of("a", "2"), Double.POSITIVE_INFINITY).sample("y", Map.of("a", "3"), Double.NEGATIVE_INFINITY).toString();

        assertThat(text).contains("x_seconds_count 7\n", "x_seconds_sum 1.796667164523E9\n", "y{a=\"1\"} NaN\n", "y{a=\"2\"} +Inf\n",
                "y{a=\"3\"} -Inf\n");
        PrometheusTextFormat.assertValid(text);
    }

    @Test
    void a_name_the_format_cannot_hold_is_refused_rather_than_written() {
        PrometheusText text = new PrometheusText();

        assertThatThrownBy(() -> text.family("ha-diag up", Type.GAUGE, "h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text.sample("ok", Map.of("bad-label", "v"), 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text.sample("ok", Map.of("__reserved", "v"), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
