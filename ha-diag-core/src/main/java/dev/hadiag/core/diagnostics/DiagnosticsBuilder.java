package dev.hadiag.core.diagnostics;

import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.live.MaintenanceState;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.HomeAssistant;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds {@link Diagnostics}: HA, the store and the event sink are required; everything else has a
 * default, so a caller states only what it cares about. The defaults: no checks, alerts repeated every
 * 24 h and opened at once with no cap per run, events from node {@code ha-diag} with no location tag or HA URL, the
 * watchdog's {@link WebSocketWatchdog.Settings#DEFAULTS}, no maintenance, no silences, a rejected token tried again after 10 minutes,
 * the system's UTC clock and random UUIDs as correlation ids.
 */
public final class DiagnosticsBuilder {

    final HomeAssistant ha;
    final DiagnosticStore store;
    final EventSink sink;
    List<Check> checks = List.of();
    AlertLifecycle.Settings alertSettings = new AlertLifecycle.Settings(Duration.ofHours(24), type -> Duration.ZERO);
    StormGuard stormGuard = StormGuard.UNLIMITED;
    AlertEvents events = new AlertEvents("ha-diag", "", "");
    WebSocketWatchdog.Settings watchdogSettings = WebSocketWatchdog.Settings.DEFAULTS;
    MaintenanceState maintenance = MaintenanceState.NEVER;
    SilenceGate silences;
    Duration authRetry = Duration.ofMinutes(10);
    Clock clock = Clock.systemUTC();
    Supplier<String> correlationIds = () -> UUID.randomUUID().toString();

    DiagnosticsBuilder(HomeAssistant ha, DiagnosticStore store, EventSink sink) {
        this.ha = Objects.requireNonNull(ha, "ha");
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public DiagnosticsBuilder checks(List<Check> checks) {
        this.checks = List.copyOf(checks);
        return this;
    }

    public DiagnosticsBuilder checks(Check... checks) {
        return checks(List.of(checks));
    }

    /** The repeat interval and the minimum duration per alert type. */
    public DiagnosticsBuilder alerts(AlertLifecycle.Settings settings) {
        this.alertSettings = Objects.requireNonNull(settings, "alert settings");
        return this;
    }

    /** How many openings of one alert type one run writes at most ({@code alerts.max_events_per_run}). */
    public DiagnosticsBuilder stormGuard(StormGuard stormGuard) {
        this.stormGuard = Objects.requireNonNull(stormGuard, "storm guard");
        return this;
    }

    /** Who the events say they come from: the node, the location tag and HA's URL (never holding the token). */
    public DiagnosticsBuilder events(AlertEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        return this;
    }

    public DiagnosticsBuilder watchdog(WebSocketWatchdog.Settings settings) {
        this.watchdogSettings = Objects.requireNonNull(settings, "watchdog settings");
        return this;
    }

    /** Whether an operator has declared maintenance: while it is active, every disconnect counts as a planned restart. */
    public DiagnosticsBuilder maintenance(MaintenanceState maintenance) {
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        return this;
    }

    /** Silences: what holds back the events of silenced alerts (none by default: every event is written). */
    public DiagnosticsBuilder silences(SilenceGate silences) {
        this.silences = Objects.requireNonNull(silences, "silences");
        return this;
    }

    /** How long after a rejected token the heartbeat tries it again (each attempt makes HA notify its users). */
    public DiagnosticsBuilder authRetry(Duration authRetry) {
        this.authRetry = Objects.requireNonNull(authRetry, "auth retry");
        return this;
    }

    public DiagnosticsBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public DiagnosticsBuilder correlationIds(Supplier<String> correlationIds) {
        this.correlationIds = Objects.requireNonNull(correlationIds, "correlation ids");
        return this;
    }

    public Diagnostics build() {
        return new Diagnostics(this);
    }
}
