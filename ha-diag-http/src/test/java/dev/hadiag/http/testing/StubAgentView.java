package dev.hadiag.http.testing;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.Event;
import dev.hadiag.http.AgentView;
import dev.hadiag.core.store.OpenAlert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An agent in a state a test states, for what the API and the status page show of it. A test that needs checks to
 * really run uses {@link DiagnosticsAgentView} over a real {@code Diagnostics} instead. Defaults: a healthy
 * agent with nothing configured, nothing open, and no check that can run.
 */
public final class StubAgentView implements AgentView {

    private String version = "test";
    private String node = "node1";
    private List<CheckInfo> checks = List.of();
    private Function<String, CheckReport> trigger = check -> {
        throw new UnsupportedOperationException("this stub runs no check: " + check);
    };
    private Supplier<Map<String, CheckReport>> reports = Map::of;
    private Supplier<List<OpenAlert>> alerts = List::of;
    private Supplier<Optional<Boolean>> haReachable = () -> Optional.of(true);
    private Optional<Instant> haStateSince = Optional.empty();
    private Supplier<List<Problem>> problems = List::of;
    private Supplier<List<Event>> events = List::of;

    public StubAgentView version(String version) {
        this.version = version;
        return this;
    }

    public StubAgentView node(String node) {
        this.node = node;
        return this;
    }

    public StubAgentView checks(List<CheckInfo> checks) {
        this.checks = List.copyOf(checks);
        return this;
    }

    public StubAgentView trigger(Function<String, CheckReport> trigger) {
        this.trigger = trigger;
        return this;
    }

    /** Asked at each call, so a test may change what it returns between calls. */
    public StubAgentView reports(Supplier<Map<String, CheckReport>> reports) {
        this.reports = reports;
        return this;
    }

    public StubAgentView alerts(Supplier<List<OpenAlert>> alerts) {
        this.alerts = alerts;
        return this;
    }

    public StubAgentView haReachable(Supplier<Optional<Boolean>> haReachable) {
        this.haReachable = haReachable;
        return this;
    }

    public StubAgentView haStateSince(Instant since) {
        this.haStateSince = Optional.of(since);
        return this;
    }

    public StubAgentView problems(Supplier<List<Problem>> problems) {
        this.problems = problems;
        return this;
    }

    public StubAgentView events(Supplier<List<Event>> events) {
        this.events = events;
        return this;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public List<CheckInfo> checks() {
        return checks;
    }

    @Override
    public CheckReport trigger(String check) {
        return trigger.apply(check);
    }

    @Override
    public Map<String, CheckReport> lastReports() {
        return reports.get();
    }

    @Override
    public List<OpenAlert> openAlerts() {
        return alerts.get();
    }

    @Override
    public boolean webSocketConnected() {
        return true;
    }

    @Override
    public Optional<Boolean> haReachable() {
        return haReachable.get();
    }

    @Override
    public Optional<Instant> haStateSince() {
        return haStateSince;
    }

    @Override
    public List<Problem> problems() {
        return problems.get();
    }

    @Override
    public List<Event> recentEvents(Instant since, int limit) {
        return events.get();
    }

    @Override
    public String metrics() {
        return "";
    }
}
