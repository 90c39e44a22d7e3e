package dev.hadiag.app.agent;

import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.check.HaSeen;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import dev.hadiag.http.AgentView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The running agent as the HTTP adapter sees it ({@link AgentView}, the port that adapter defines) and the one way every
 * check run goes, scheduled ({@link CheckJob}) or triggered: a {@link Diagnostics}, the store's open alerts, the event
 * log for the timeline, the problems and the metrics. Checks run only between {@link #ready()} and {@link #stopping()}.
 */
public final class AgentStatus implements AgentView {

    /** Wraps every run of a check (scheduled or triggered), e.g. to name it in the log lines it causes. */
    @FunctionalInterface
    public interface RunWrapper {
        RunWrapper NONE = (check, run) -> run.get();

        CheckReport run(String check, Supplier<CheckReport> run);
    }

    private static final String HEARTBEAT = BuiltInCheck.HEARTBEAT.wire();

    private final String version;
    private final String node;
    private final List<CheckInfo> checks;
    private final Diagnostics diagnostics;
    private final DiagnosticStore store;
    private final EventLog events;
    private final Supplier<List<Problem>> problems;
    private final Supplier<String> metrics;
    private final RunWrapper wrapper;
    private final Runnable silencesChanged;
    private final Clock clock;
    private volatile boolean ready;
    private HaState haState = HaState.NOT_SEEN;
    private Instant haStateSince;

    /** HA as the page tells it: answering, starting (answering, its core still setting up), or down. */
    private enum HaState {
        NOT_SEEN, UP, STARTING, DOWN
    }

    private AgentStatus(Builder builder) {
        this.version = builder.version;
        this.node = builder.node;
        this.diagnostics = builder.diagnostics;
        this.checks = builder.checks != null ? builder.checks
                : diagnostics.checkNames().stream().map(name -> new CheckInfo(name, true, Duration.ofSeconds(60))).toList();
        this.store = builder.store;
        this.events = builder.events;
        this.problems = builder.problems;
        this.metrics = builder.metrics;
        this.wrapper = builder.wrapper;
        this.silencesChanged = builder.silencesChanged;
        this.clock = builder.clock;
    }

    /**
     * A status over these; everything else has a default a test need not state.
     *
     * @param clock the agent's clock: a silence expired now is expired at it, as the rest of the agent's decisions
     */
    public static Builder builder(Diagnostics diagnostics, DiagnosticStore store, Clock clock) {
        return new Builder(diagnostics, store, clock);
    }

    /** Checks may run from now on. */
    public void ready() {
        ready = true;
    }

    /** No check may start any more: a trigger is answered "not ready". */
    public void stopping() {
        ready = false;
    }

    /** Runs one check now, whoever asks (the schedule or {@link #trigger}), and notes what the heartbeat saw of HA. */
    public CheckReport run(String check) {
        CheckReport report = wrapper.run(check, () -> diagnostics.run(check));
        if (HEARTBEAT.equals(check)) {
            noteHaState(report);
        }
        return report;
    }

    /** When HA's state as the heartbeat sees it (answering, starting, not answering) last changed. */
    private synchronized void noteHaState(CheckReport heartbeat) {
        HaSeen seen = heartbeat.haSeen();
        HaState state;
        if (seen instanceof HaSeen.Answering answering) {
            state = answering.state().isStarting() ? HaState.STARTING : HaState.UP;
        } else if (seen instanceof HaSeen.Unreachable || seen instanceof HaSeen.TokenRejected) {
            state = HaState.DOWN;
        } else {
            state = haState; // skipped or failed: it says nothing new of HA
        }
        if (state != haState) {
            haState = state;
            haStateSince = heartbeat.startedAt();
        }
    }

    @Override
    public synchronized Optional<Instant> haStateSince() {
        return Optional.ofNullable(haStateSince);
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
        if (!ready) {
            throw new NotReadyException("the agent is starting or stopping; no check runs then");
        }
        return run(check);
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
        CheckReport heartbeat = diagnostics.lastReports().get(HEARTBEAT);
        HaSeen seen = heartbeat == null ? HaSeen.NOT_LOOKED : heartbeat.haSeen();
        if (seen instanceof HaSeen.NotLooked) {
            return diagnostics.isWebSocketConnected() ? Optional.of(true) : Optional.empty();
        }
        return Optional.of(!(seen instanceof HaSeen.Unreachable)); // a rejected token is HA answering
    }

    @Override
    public List<Problem> problems() {
        return problems.get();
    }

    @Override
    public List<Event> recentEvents(Instant since, int limit) {
        ArrayDeque<Event> last = new ArrayDeque<>(limit);
        try (Stream<Event> found = events.find(EventQuery.all().withSince(since))) {
            found.forEach(event -> {
                if (last.size() == limit) {
                    last.removeFirst();
                }
                last.addLast(event);
            });
        }
        return List.copyOf(last);
    }

    @Override
    public String metrics() {
        return metrics.get();
    }

    @Override
    public List<Silence> silences() {
        return store instanceof SilenceStore silenceStore ? silenceStore.silences() : List.of();
    }

    @Override
    public Silence addSilence(NewSilence silence) {
        Silence added = silenceStore().addSilence(silence);
        diagnostics.applySilences(); // its start event now, not at the next poll
        silencesChanged.run();
        return added;
    }

    @Override
    public Optional<Silence> expireSilence(long id) {
        Optional<Silence> expired = silenceStore().expireSilence(id, clock.instant());
        diagnostics.applySilences();
        silencesChanged.run();
        return expired;
    }

    @Override
    public List<Withheld> withheld() {
        return store.withheld();
    }

    @Override
    public List<Event> events(EventQuery query) {
        try (Stream<Event> found = events.find(query)) {
            return found.toList();
        }
    }

    @Override
    public Optional<Withheld> acknowledge(String alertKey) {
        return diagnostics.acknowledge(alertKey);
    }

    private SilenceStore silenceStore() {
        if (store instanceof SilenceStore silenceStore) {
            return silenceStore;
        }
        throw new NotReadyException("this agent keeps no silences");
    }

    /** Defaults: version {@code development}, node {@code node1}, every check enabled every 60 s, no events, no problems. */
    public static final class Builder {
        private final Diagnostics diagnostics;
        private final DiagnosticStore store;
        private String version = "development";
        private String node = "node1";
        private List<CheckInfo> checks;
        private EventLog events = query -> Stream.empty();
        private Supplier<List<Problem>> problems = List::of;
        private Supplier<String> metrics = () -> "";
        private RunWrapper wrapper = RunWrapper.NONE;
        private Runnable silencesChanged = () -> { };
        private final Clock clock;

        private Builder(Diagnostics diagnostics, DiagnosticStore store, Clock clock) {
            this.diagnostics = Objects.requireNonNull(diagnostics);
            this.store = Objects.requireNonNull(store);
            this.clock = Objects.requireNonNull(clock);
        }

        public Builder version(String version) {
            this.version = Objects.requireNonNull(version);
            return this;
        }

        public Builder node(String node) {
            this.node = Objects.requireNonNull(node);
            return this;
        }

        /** Every configured check, enabled or not; the default lists the ones {@code diagnostics} runs. */
        public Builder checks(List<CheckInfo> checks) {
            this.checks = List.copyOf(checks);
            return this;
        }

        /** Where the status page's timeline comes from. */
        public Builder events(EventLog events) {
            this.events = Objects.requireNonNull(events);
            return this;
        }

        public Builder problems(Supplier<List<Problem>> problems) {
            this.problems = Objects.requireNonNull(problems);
            return this;
        }

        public Builder metrics(Supplier<String> metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public Builder wrapEachRun(RunWrapper wrapper) {
            this.wrapper = Objects.requireNonNull(wrapper);
            return this;
        }

        /** Told after the API added or expired a silence: the agent's next silence poll may now be due sooner. */
        public Builder onSilencesChanged(Runnable silencesChanged) {
            this.silencesChanged = Objects.requireNonNull(silencesChanged);
            return this;
        }

        public AgentStatus build() {
            return new AgentStatus(this);
        }
    }
}
