package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.app.relay.DestinationStatus;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.store.CheckStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private static final Instant STARTED = Instant.parse("2026-12-07T18:00:00Z");

    private final AgentMetrics metrics = new AgentMetrics(new BuildInfo("1.2.3", "0123456789ab", "2026-12-07T17:00:00Z"),
            Map.of("heartbeat", Duration.ofSeconds(60)), () -> Optional.of(true), () -> true, List::of, Map::of, () -> Duration.ZERO);

    @Test
    void a_scrape_is_strict_text_format_that_prometheus_parses_with_the_agent_and_process_series() throws Exception {
        metrics.storage(List.of("events", "store"), component -> component.equals("store"));
        metrics.relay(() -> List.of(new DestinationStatus("webhook https://host/\"a\"", "", null, 4, 1)));
        metrics.recordRun(new CheckReport("heartbeat", CheckStatus.OK, "", "", List.of(), STARTED, Duration.ofMillis(250), 0));
        metrics.recordEvent("ha_update_available");
        metrics.recordEventWriteFailure();

        String text = metrics.scrape();

        PrometheusTextFormat.assertValid(text);
        PrometheusTextFormat.assertPromtoolParses(text);
        assertThat(text).contains("# TYPE ha_diag_check_duration_seconds summary\n",
                "ha_diag_check_duration_seconds_count{check=\"heartbeat\",status=\"ok\"} 1\n",
                "ha_diag_check_duration_seconds_sum{check=\"heartbeat\",status=\"ok\"} 0.25\n",
                "# TYPE ha_diag_check_duration_seconds_max gauge\n",
                "ha_diag_check_duration_seconds_max{check=\"heartbeat\",status=\"ok\"} 0.25\n",
                "ha_diag_build_info{built=\"2026-12-07T17:00:00Z\",commit=\"0123456789ab\",version=\"1.2.3\"} 1\n",
                "ha_diag_check_last_success_timestamp_seconds{check=\"heartbeat\"} 1.79666640025E9\n",
                "ha_diag_storage_ok{component=\"events\"} 1.0\n", "ha_diag_storage_ok{component=\"store\"} 0.0\n",
                "ha_diag_relay_delivered_total{destination=\"webhook https://host/\\\"a\\\"\"} 4.0\n",
                "ha_diag_events_emitted_total{type=\"ha_update_available\"} 1.0\n", "ha_diag_event_write_failures_total 1.0\n",
                "ha_diag_ha_up 1.0\n", "ha_diag_unavailable_entities NaN\n", "jvm_memory_used_bytes{area=\"heap\"} ",
                "jvm_threads_live_threads ", "process_cpu_time_ns_total ", "process_files_open_files ", "process_start_time_seconds ",
                "process_uptime_seconds ", "system_cpu_count ");
        assertThat(value(text, "jvm_threads_live_threads")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "process_files_open_files")).isGreaterThan(2);
        // The start is this JVM's: before now, and not before the test run began an hour ago at most.
        double start = value(text, "process_start_time_seconds");
        assertThat(start).isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0).isGreaterThan(System.currentTimeMillis() / 1000.0 - 3600);
    }

    @Test
    void families_are_written_once_each_in_name_order_as_micrometer_wrote_them() {
        metrics.recordRun(new CheckReport("heartbeat", CheckStatus.FAILED, "", "", List.of(), STARTED, Duration.ofMillis(5), 0));
        metrics.recordRun(new CheckReport("heartbeat", CheckStatus.OK, "", "", List.of(), STARTED, Duration.ofMillis(5), 0));

        List<String> families = metrics.scrape().lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2]).toList();

        assertThat(families).doesNotHaveDuplicates();
        assertThat(families.stream().filter(name -> name.startsWith("ha_diag_")).toList()).isSorted();
        assertThat(families).containsSubsequence("ha_diag_websocket_connected", "jvm_memory_used_bytes", "process_uptime_seconds");
    }

    @Test
    void a_value_that_cannot_be_read_is_nan_and_the_scrape_still_answers() {
        AtomicBoolean gone = new AtomicBoolean();
        metrics.relay(() -> {
            if (gone.get()) {
                throw new IllegalStateException("relay gone");
            }
            return List.of(new DestinationStatus("mqtt 127.0.0.1:1883 ha-diag", "", null, 1, 0));
        });
        gone.set(true);

        String text = metrics.scrape();

        assertThat(text).contains("ha_diag_relay_up{destination=\"mqtt 127.0.0.1:1883 ha-diag\"} NaN\n", "ha_diag_ha_up 1.0\n");
        PrometheusTextFormat.assertValid(text);
    }

    @Test
    void the_longest_run_shows_for_one_to_two_minutes_then_goes() {
        AtomicLong now = new AtomicLong(1_000);
        AgentMetrics.Timing timing = new AgentMetrics.Timing(now::get);
        timing.record(Duration.ofSeconds(3));
        timing.record(Duration.ofSeconds(1));

        now.addAndGet(Duration.ofSeconds(90).toNanos());
        assertThat(timing.max()).isEqualTo(3.0);
        timing.record(Duration.ofSeconds(2));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(timing.max()).isEqualTo(2.0);
        now.addAndGet(Duration.ofSeconds(121).toNanos());
        assertThat(timing.max()).isZero();
        assertThat(timing.count()).isEqualTo(3);
        assertThat(timing.sum()).isEqualTo(6.0);
    }

    private static double value(String text, String series) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(value.find()).as(series).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
