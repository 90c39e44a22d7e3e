package dev.hadiag.app.testing;

import static org.awaitility.Awaitility.await;

import dev.hadiag.app.agent.DiagnosticsFactory;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.testing.MutableClock;
import dev.hadiag.core.testing.States;
import dev.hadiag.events.fs.FileSystemEventLog;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.LiveConnectionSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.OkHttpLiveConnection;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's own wiring against the test Home Assistant, in process: the real adapter, a real SQLite file, real
 * event files, {@link DiagnosticsFactory} with the configuration as the agent loads it, and on request the live
 * connection feeding the detectors as the agent feeds them, ticked every 200 ms. The one set-up every real-HA
 * integration test of the diagnostics shares; each test says only what it changes (a YAML, the checks, the clock).
 */
public final class RealHaAgent implements AutoCloseable {

    private final RealHomeAssistant ha;
    private final AgentConfig config;
    private final OkHttpHomeAssistant client;
    private final SqliteDiagnosticStore store;
    private final Path events;
    private final LiveStates liveStates;
    private final Diagnostics diagnostics;
    private final MutableClock steppedClock; // null: the system clock
    private final Instant start;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private OkHttpLiveConnection live;

    private RealHaAgent(Builder builder) {
        this.ha = builder.ha;
        Map<String, String> env = new LinkedHashMap<>(Map.of("HA_URL", ha.url(), "HA_TOKEN", ha.token().value(), "NODE_NAME", "it-node"));
        env.putAll(builder.env);
        String yamlPath = null;
        if (builder.yaml != null) {
            Path yaml = builder.dir.resolve("agent.yaml");
            try {
                Files.writeString(yaml, builder.yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            yamlPath = yaml.toString();
        }
        this.config = ConfigLoader.load(env, yamlPath, () -> "unused");
        this.client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()));
        this.events = builder.dir.resolve("events");
        this.store = SqliteDiagnosticStore.open(builder.dir.resolve("ha_diag.db"));
        this.liveStates = new LiveStates(config.checks().flapping().detector());
        this.start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.steppedClock = builder.stepped ? new MutableClock(start) : null;
        Clock clock = builder.stepped ? steppedClock : Clock.systemUTC();
        this.diagnostics = DiagnosticsFactory.create(config, builder.checks, client, store, FileSystemEventSink.open(events), clock,
                liveStates);
    }

    /** The agent's wiring with every default, all built-in checks and the system clock, unless the builder says otherwise. */
    public static Builder on(RealHomeAssistant ha, Path dir) {
        return new Builder(ha, dir);
    }

    public AgentConfig config() {
        return config;
    }

    public OkHttpHomeAssistant client() {
        return client;
    }

    public SqliteDiagnosticStore store() {
        return store;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    public LiveStates liveStates() {
        return liveStates;
    }

    public Path events() {
        return events;
    }

    public CheckReport run(String check) {
        return diagnostics.run(check);
    }

    /** Runs {@code check} with the agent's clock at {@code afterStart} past the start (a {@link Builder#steppedClock()} only). */
    public CheckReport runAt(Duration afterStart, String check) {
        if (steppedClock == null) {
            throw new IllegalStateException("runAt needs Builder.steppedClock()");
        }
        steppedClock.set(start.plus(afterStart));
        return diagnostics.run(check);
    }

    /**
     * Connects the live stream with the agent's reconnect timing of an outage's first minutes (a quarter of {@code websocket.quick_reconnect_delay} 1 s,
     * doubling to it), feeds every signal to the detectors and to {@code tap}, ticks the watchdog every 200 ms as the
     * agent does, and returns once the stream is live.
     */
    public void connect(Consumer<LiveSignal> tap) {
        LiveConnectionSettings defaults = LiveConnectionSettings.DEFAULTS;
        live = new OkHttpLiveConnection(new HaClientSettings(ha.url(), ha.token()), new LiveConnectionSettings(defaults.pingAfter(),
                defaults.pongTimeout(), Duration.ofMillis(250), Duration.ofSeconds(1), defaults.authRetry()), Clock.systemUTC());
        live.start(signal -> {
            liveStates.onSignal(signal);
            diagnostics.onLiveSignal(signal);
            tap.accept(signal);
        });
        ticker.scheduleWithFixedDelay(diagnostics::tick, 200, 200, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> diagnostics.isWebSocketConnected() && liveStates.streamingSince().isPresent());
    }

    /** Every event written so far, oldest first. */
    public List<Event> written() {
        if (!Files.isDirectory(events)) {
            return List.of();
        }
        try (Stream<Event> found = new FileSystemEventLog(events).find(EventQuery.all())) {
            return found.toList();
        }
    }

    public List<Event> written(String type) {
        return written().stream().filter(e -> e.type().equals(type)).toList();
    }

    /** How many event files the tree holds (what a reader of the directory sees, whatever their content). */
    public long eventFiles() {
        if (!Files.isDirectory(events)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(events)) {
            return all.filter(p -> p.toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entities HA's registry puts on the devices {@code devices} accepts. */
    public List<String> entitiesOf(Predicate<DeviceRegistryEntry> devices) {
        Set<String> ids = client.deviceRegistry().stream().filter(devices).map(DeviceRegistryEntry::id).collect(Collectors.toSet());
        return client.registries().entities().stream().filter(e -> ids.contains(e.deviceId())).map(EntityRegistryEntry::entityId).toList();
    }

    public DeviceRegistryEntry device(String name) {
        return client.deviceRegistry().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    /** Whether HA has a state for each of {@code entityIds}, and each is unavailable (or each is not). */
    public boolean allIn(List<String> entityIds, boolean unavailable) {
        Set<String> wanted = Set.copyOf(entityIds);
        List<EntityState> states = States.of(client).stream().filter(s -> wanted.contains(s.entityId())).toList();
        return states.size() == wanted.size() && states.stream().allMatch(s -> s.isUnavailable() == unavailable);
    }

    /** Waits until HA reports {@code entityId} in {@code state}. */
    public void awaitState(String entityId, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> States.of(client).stream()
                .anyMatch(s -> s.entityId().equals(entityId) && s.state().equals(state)));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            if (live != null) {
                live.close();
            }
        } finally {
            client.close();
            store.close();
        }
    }

    public static final class Builder {
        private final RealHomeAssistant ha;
        private final Path dir;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String yaml;
        private List<String> checks = BuiltInCheck.names();
        private boolean stepped;

        private Builder(RealHomeAssistant ha, Path dir) {
            this.ha = ha;
            this.dir = dir;
        }

        /** The agent's YAML file (only what the test changes; every other key keeps its default). */
        public Builder yaml(String yaml) {
            this.yaml = yaml;
            return this;
        }

        /** One more environment variable, as the agent's environment would carry it. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder checks(List<String> checks) {
            this.checks = List.copyOf(checks);
            return this;
        }

        /**
         * The agent's clock a test clock that moves only with {@link #runAt}, so thresholds pass in an instant (HA's own
         * clock is then never mixed in: no live connection vouches for HA's {@code last_changed}).
         */
        public Builder steppedClock() {
            this.stepped = true;
            return this;
        }

        public RealHaAgent build() {
            return new RealHaAgent(this);
        }
    }
}
