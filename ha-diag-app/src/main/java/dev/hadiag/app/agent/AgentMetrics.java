package dev.hadiag.app.agent;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.store.OpenAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The agent's Prometheus metrics: check durations and outcomes, open alerts by type, WebSocket state, events written. */
final class AgentMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<AlertType, AtomicInteger> openAlerts = new EnumMap<>(AlertType.class);
    private final Supplier<List<OpenAlert>> alerts;

    AgentMetrics(BooleanSupplier webSocketConnected, Supplier<List<OpenAlert>> alerts) {
        this.alerts = alerts;
        Gauge.builder("ha_diag_websocket_connected", () -> webSocketConnected.getAsBoolean() ? 1 : 0)
                .description("1 while the live WebSocket to Home Assistant is up").register(registry);
        for (AlertType type : AlertType.values()) {
            AtomicInteger count = new AtomicInteger();
            openAlerts.put(type, count);
            Gauge.builder("ha_diag_open_alerts", count, AtomicInteger::get).tag("type", type.type())
                    .description("open alerts by type").register(registry);
        }
    }

    void recordRun(CheckReport report) {
        Timer.builder("ha_diag_check_duration").tag("check", report.check()).tag("status", report.status().wire())
                .description("how long check runs take").register(registry).record(report.duration());
    }

    void recordEvent(String type) {
        Counter.builder("ha_diag_events_emitted").tag("type", type).description("event files written").register(registry).increment();
    }

    String scrape() {
        Map<AlertType, Integer> counts = new EnumMap<>(AlertType.class);
        try {
            alerts.get().forEach(alert -> counts.merge(alert.type(), 1, Integer::sum));
        } catch (RuntimeException e) {
            // The store is unreadable right now: keep the last counts rather than fail the scrape.
            return registry.scrape();
        }
        openAlerts.forEach((type, gauge) -> gauge.set(counts.getOrDefault(type, 0)));
        return registry.scrape();
    }
}
