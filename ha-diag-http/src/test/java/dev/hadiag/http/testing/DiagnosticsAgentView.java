package dev.hadiag.http.testing;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.http.AgentView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link AgentView} straight over a real {@link Diagnostics} and its store, for the HTTP module's tests of what a
 * trigger really runs (a check's lock, its report, the alerts it opens). The agent's own view, {@code AgentStatus}, is in
 * the app, which this module does not see; its tests are there. What this adds beyond {@code Diagnostics}: nothing but
 * the version, node and metrics a test gives.
 */
public final class DiagnosticsAgentView implements AgentView {

    private final Diagnostics diagnostics;
    private final DiagnosticStore store;
    private final Supplier<String> metrics;

    public DiagnosticsAgentView(Diagnostics diagnostics, DiagnosticStore store, Supplier<String> metrics) {
        this.diagnostics = diagnostics;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public String version() {
        return "test";
    }

    @Override
    public String node() {
        return "node1";
    }

    @Override
    public List<CheckInfo> checks() {
        return diagnostics.checkNames().stream().map(name -> new CheckInfo(name, true, Duration.ofSeconds(60))).toList();
    }

    @Override
    public CheckReport trigger(String check) {
        return diagnostics.run(check);
    }

    @Override
    public Map<String, CheckReport> lastReports() {
        return diagnostics.lastReports();
    }

    @Override
    public List<OpenAlert> openAlerts() {
        return store.allOpenAlerts();
    }

    @Override
    public boolean webSocketConnected() {
        return diagnostics.isWebSocketConnected();
    }

    @Override
    public Optional<Boolean> haReachable() {
        return Optional.empty();
    }

    @Override
    public String metrics() {
        return metrics.get();
    }
}
