package dev.hadiag.ha.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HomeAssistantException;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.port.LiveConnection;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * The persistent WebSocket (docs/home-assistant.md): connect, authenticate, subscribe to {@code state_changed}, report
 * every frame as a sign of life, pass each state change on (cut down as it is read, see {@link StateChangedEvents}), ping when quiet, reconnect with capped exponential backoff and jitter.
 * A rejected token is reported as {@link LiveSignal.AuthRejected} and retried only after
 * {@link LiveConnectionSettings#authRetry()}.
 */
public final class OkHttpLiveConnection implements LiveConnection {

    private static final System.Logger LOG = System.getLogger(OkHttpLiveConnection.class.getName());
    /** HA's events that announce its stop (#16). */
    static final List<String> STOP_EVENTS = List.of("homeassistant_stop", "homeassistant_final_write");
    /** HA's services that stop it (#16); their {@code call_service} event announces the stop. */
    static final List<String> STOP_SERVICES = List.of("restart", "stop");
    private static final Duration IMMEDIATE_RETRY_SPACING = Duration.ofSeconds(10);

    private final HaClientSettings settings;
    private final LiveConnectionSettings timing;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ha-diag-live-connection");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong lastFrameNanos = new AtomicLong(System.nanoTime());
    private volatile Consumer<LiveSignal> listener;
    private volatile HaWebSocketSession session;
    private volatile boolean closing;
    private volatile boolean pingInFlight;
    private int failedAttempts;
    /** Attempts made after the outage outlived {@link LiveConnectionSettings#quickFor()}; scheduler thread only. */
    private int slowAttempts;
    /** Whether the connection is down, and since when (System.nanoTime); scheduler thread only. */
    private boolean inOutage;
    private long outageStartNanos;
    /** Touched on the scheduler's thread only. */
    private String lastLoggedFailure;
    private long lastImmediateRetryNanos = System.nanoTime() - IMMEDIATE_RETRY_SPACING.toNanos();

    public OkHttpLiveConnection(HaClientSettings settings, LiveConnectionSettings timing, Clock clock) {
        // A long-lived socket must not be cut by a read or call timeout; silence is detected by our own pings.
        this(settings, timing, clock, OkHttpHomeAssistant.newClient(settings).newBuilder()
                .readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build(), true);
    }

    OkHttpLiveConnection(HaClientSettings settings, LiveConnectionSettings timing, Clock clock, OkHttpClient client, boolean ownsClient) {
        this.settings = settings;
        this.timing = timing;
        this.clock = clock;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    @Override
    public void start(Consumer<LiveSignal> signals) {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = signals;
        scheduler.execute(this::connect);
        long period = Math.max(100, Math.min(timing.pingAfter().toMillis(), timing.pongTimeout().toMillis()) / 4);
        scheduler.scheduleWithFixedDelay(this::pingIfQuiet, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isConnected() {
        HaWebSocketSession current = session;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        HaWebSocketSession current = session;
        if (current != null) {
            current.close();
        }
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private void connect() {
        if (closing) {
            return;
        }
        HaWebSocketSession opened = null;
        try {
            opened = HaWebSocketSession.open(client, settings, this::frame);
            HaWebSocketSession.Subscription subscribed = opened.subscribeReading("subscribe_events",
                    Map.of("event_type", "state_changed"), StateChangedEvents::read, this::stateChanged);
            opened.await(subscribed.result(), "subscribe_events", settings.requestTimeout());
            subscribeToStop(opened);
            failedAttempts = 0;
            slowAttempts = 0;
            inOutage = false;
            lastLoggedFailure = null;
            HaWebSocketSession current = opened;
            signal(new LiveSignal.Connected(clock.instant(), opened.haVersion()));
            session = opened;
            opened.closed().thenAccept(reason -> scheduler.execute(() -> lost(current, reason)));
        } catch (HaUnauthorizedException e) {
            close(opened);
            signal(new LiveSignal.AuthRejected(clock.instant(), e.getMessage()));
            LOG.log(Level.WARNING, "{0}; next attempt in {1}", e.getMessage(), timing.authRetry());
            schedule(timing.authRetry());
        } catch (HomeAssistantException e) {
            close(opened);
            if (!closing) {
                logOnce(String.valueOf(e.getMessage()));
            }
            signal(new LiveSignal.Disconnected(clock.instant(), e.getMessage(), DisconnectCauses.of(e)));
            retryWithBackoff();
        } catch (RuntimeException e) {
            // Never let the connection thread die: whatever happened, try again later.
            close(opened);
            LOG.log(Level.ERROR, "live connection attempt failed unexpectedly", e);
            signal(new LiveSignal.Disconnected(clock.instant(), String.valueOf(e)));
            retryWithBackoff();
        }
    }

    private void lost(HaWebSocketSession lostSession, String reason) {
        if (closing || session != lostSession) {
            return;
        }
        session = null;
        inOutage = true;
        outageStartNanos = System.nanoTime();
        signal(new LiveSignal.Disconnected(clock.instant(), reason, lostSession.closeCause()));
        // #16: one attempt at once tells a crashed HA (its port refuses) from the network within milliseconds;
        // the backoff starts with the next one. At most one such attempt per 10 s: an HA that keeps accepting and
        // dropping the socket gets the backoff, not a loop.
        long now = System.nanoTime();
        if (now - lastImmediateRetryNanos >= IMMEDIATE_RETRY_SPACING.toNanos()) {
            lastImmediateRetryNanos = now;
            scheduler.execute(this::connect);
        } else {
            retryWithBackoff();
        }
    }

    /**
     * #16: HA's own stop events mark the disconnect that follows as planned. They rarely get through: HA
     * cancels every connection from its own {@code homeassistant_stop} listener, which runs before the
     * forwarding of the event (2026.11 then sends a normal close frame, which the session reports; 2024.3 just
     * drops the socket). So the call of {@code homeassistant.restart}/{@code stop} is taken as the announcement
     * too: its {@code call_service} event comes well before the stop (HA checks its configuration first).
     * Subscribed without waiting: a connection works without them.
     */
    private void subscribeToStop(HaWebSocketSession opened) {
        for (String haEvent : STOP_EVENTS) {
            opened.subscribe("subscribe_events", Map.of("event_type", haEvent),
                    event -> signal(new LiveSignal.StopAnnounced(clock.instant(), haEvent)));
        }
        opened.subscribe("subscribe_events", Map.of("event_type", "call_service"), event -> {
            JsonNode data = event.path("data");
            String service = data.path("service").asText("");
            if ("homeassistant".equals(data.path("domain").asText("")) && STOP_SERVICES.contains(service)) {
                signal(new LiveSignal.StopAnnounced(clock.instant(), "call_service homeassistant." + service));
            }
        });
    }

    /**
     * Issue 24: a connection that never comes up (a TLS certificate not trusted) was only a reason in an event; each
     * different failure is logged once, not every attempt (the backoff may be a second).
     */
    private void logOnce(String failure) {
        if (!failure.equals(lastLoggedFailure)) {
            lastLoggedFailure = failure;
            LOG.log(Level.WARNING, "live connection to Home Assistant failed: {0}; retrying with backoff", failure);
        }
    }

    private void retryWithBackoff() {
        long now = System.nanoTime();
        if (!inOutage) {
            inOutage = true;
            outageStartNanos = now;
        }
        failedAttempts++;
        if (!timing.quickFor().isZero() && now - outageStartNanos >= timing.quickFor().toNanos()) {
            slowAttempts++;
        }
        schedule(timing.backoff(failedAttempts, slowAttempts, ThreadLocalRandom.current().nextDouble()));
    }

    private void schedule(Duration delay) {
        if (!closing) {
            try {
                scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // closed meanwhile
            }
        }
    }

    private void frame() {
        lastFrameNanos.set(System.nanoTime());
        if (session != null) {
            signal(new LiveSignal.Frame(clock.instant()));
        }
    }

    /** A state change as the stream's detectors need it (issue 15); unreadable ones are skipped. */
    private void stateChanged(Object event) {
        if (event instanceof StateChangedEvents.Change change && session != null) {
            var at = clock.instant();
            signal(new LiveSignal.StateChanged(at, change.entityId(), change.oldState(), change.newState(),
                    change.reportedAt().orElse(at)));
        }
    }

    private void pingIfQuiet() {
        HaWebSocketSession current = session;
        if (current == null || !current.isOpen() || pingInFlight) {
            return;
        }
        long quietNanos = System.nanoTime() - lastFrameNanos.get();
        if (quietNanos < timing.pingAfter().toNanos()) {
            return;
        }
        pingInFlight = true;
        current.command("ping", Map.of())
                .orTimeout(timing.pongTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((pong, failure) -> {
                    pingInFlight = false;
                    if (failure != null && current.isOpen()) {
                        String reason = "no pong from Home Assistant within " + seconds(timing.pongTimeout())
                                + " (it accepts the connection but does not answer)";
                        LOG.log(Level.WARNING, "{0}; reconnecting", reason);
                        current.abandon(reason);
                    }
                });
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private void signal(LiveSignal signal) {
        if (closing) {
            return;
        }
        try {
            listener.accept(signal);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "live signal listener failed on " + signal.getClass().getSimpleName(), e);
        }
    }

    private static void close(HaWebSocketSession session) {
        if (session != null) {
            session.close();
        }
    }
}
