package dev.hadiag.core.live;

import dev.hadiag.core.ha.LiveSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides from the live connection's signals and the clock whether HA's WebSocket is dead. A disconnect,
 * or silence longer than the silence timeout, makes it <em>down</em>; down for the grace period makes it
 * <em>dead</em> (one {@link Verdict.Dead}); the first frame after that is a {@link Verdict.Recovered}. A
 * blip shorter than the grace emits nothing. A rejected token is its own verdict and never escalates to dead:
 * HA answers, it just refuses the agent. Thread-safe: signals arrive on the connection's threads, ticks on
 * the scheduler's.
 *
 * <p>Which grace applies to a disconnect is the {@link OutageClassifier}'s decision: a planned HA restart
 * waits {@code restartGrace}, a crashed HA (its port refuses) is dead at once, anything else waits the grace.
 * HA back after a known restart is a {@link Verdict.Restarted}.
 */
public final class WebSocketWatchdog {

    /**
     * @param silenceTimeout how long a connected socket may stay silent before it counts as down
     * @param grace          how long it must stay down before it is dead
     * @param restartGrace   how long HA may stay away after announcing its stop
     */
    public record Settings(Duration silenceTimeout, Duration grace, Duration restartGrace) {
        public static final Duration DEFAULT_RESTART_GRACE = Duration.ofMinutes(5);
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(5), Duration.ofSeconds(10), DEFAULT_RESTART_GRACE);

        public Settings(Duration silenceTimeout, Duration grace) {
            this(silenceTimeout, grace, DEFAULT_RESTART_GRACE);
        }

        public Settings {
            if (silenceTimeout == null || silenceTimeout.isNegative() || silenceTimeout.isZero()) {
                throw new IllegalArgumentException("silence timeout must be positive");
            }
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("grace must not be negative");
            }
            if (restartGrace == null || restartGrace.isNegative()) {
                throw new IllegalArgumentException("restart grace must not be negative");
            }
        }
    }

    /** A change an operator must hear about. */
    public sealed interface Verdict {
        Instant at();

        /** Down for longer than the grace: {@code since} is when it went down. */
        record Dead(Instant at, Instant since, String reason) implements Verdict {
        }

        /** The first frame after a dead verdict (or after an alert a previous run of the agent left open). */
        record Recovered(Instant at) implements Verdict {
        }

        record AuthFailed(Instant at, String message) implements Verdict {
        }

        /** Authenticated again after a rejected token. */
        record AuthRecovered(Instant at) implements Verdict {
        }

        /** HA is back after a restart (announced, or its port refused): {@code at} is when it answered again. */
        record Restarted(Instant at, Instant downSince, boolean planned) implements Verdict {
            public Duration downtime() {
                return Duration.between(downSince, at);
            }
        }
    }

    private enum Phase { UP, DOWN, DEAD }

    private static final String NOT_CONNECTED_YET = "not connected yet";

    private final Settings settings;
    private Phase phase;
    private Instant lastFrame;
    private Instant downSince;
    private String downReason;
    private boolean authFailed;
    private Instant connectedSince;
    private final OutageClassifier outages = new OutageClassifier();
    private final MaintenanceState maintenance;

    /**
     * @param startedAt when watching began: until the first connection, HA counts as down since then
     * @param deadAlertOpen whether an {@code ha_websocket_dead} alert is already open (from before a restart
     *                      of the agent): then the first frame resolves it and no second one is raised
     * @param authAlertOpen likewise for {@code ha_auth_failed}
     */
    public WebSocketWatchdog(Settings settings, Instant startedAt, boolean deadAlertOpen, boolean authAlertOpen) {
        this(settings, startedAt, deadAlertOpen, authAlertOpen, MaintenanceState.NEVER);
    }

    /** @param maintenance while active, every disconnect counts as a planned restart */
    public WebSocketWatchdog(Settings settings, Instant startedAt, boolean deadAlertOpen, boolean authAlertOpen,
            MaintenanceState maintenance) {
        this.settings = settings;
        this.maintenance = maintenance;
        this.phase = deadAlertOpen ? Phase.DEAD : Phase.DOWN;
        this.downSince = startedAt;
        this.downReason = NOT_CONNECTED_YET;
        this.authFailed = authAlertOpen;
    }

    public synchronized List<Verdict> onSignal(LiveSignal signal) {
        List<Verdict> verdicts = new ArrayList<>();
        if (signal instanceof LiveSignal.Connected connected) {
            connectedSince = connected.at();
            Optional<OutageClassifier.Restart> restart = outages.onConnected(connected.at());
            if (authFailed) {
                authFailed = false;
                verdicts.add(new Verdict.AuthRecovered(connected.at()));
            }
            frame(connected.at(), verdicts);
            restart.ifPresent(r -> verdicts.add(new Verdict.Restarted(connected.at(), r.downSince(), r.planned())));
        } else if (signal instanceof LiveSignal.Frame frame) {
            if (connectedSince != null) { // a frame racing a disconnect is no sign of life
                frame(frame.at(), verdicts);
            }
        } else if (signal instanceof LiveSignal.Disconnected disconnected) {
            outages.onDisconnected(disconnected.at(), disconnected.cause(), connectedSince != null, maintenance.active());
            connectedSince = null;
            String reason = disconnected.reason();
            String given = reason == null || reason.isBlank() || reason.equals("null") ? "the connection was lost without a reason given" : reason;
            if (phase == Phase.DOWN && lastFrame == null) {
                // Issue 24: never connected in this run; why the attempts fail (a TLS certificate not trusted) is the reason
                downReason = NOT_CONNECTED_YET + ": " + given;
            }
            down(disconnected.at(), "disconnected: " + given);
            verdicts.addAll(tick(disconnected.at())); // a crash is dead at once, not at the next tick
        } else if (signal instanceof LiveSignal.StopAnnounced announced) {
            outages.onStopAnnounced(announced.at());
        } else if (signal instanceof LiveSignal.StateChanged) {
            return verdicts; // the detectors' (LiveStates); its frame was a Frame signal already
        } else if (signal instanceof LiveSignal.AuthRejected rejected) {
            outages.reset();
            connectedSince = null;
            down(rejected.at(), "token rejected");
            if (!authFailed) {
                authFailed = true;
                verdicts.add(new Verdict.AuthFailed(rejected.at(), rejected.message()));
            }
        } else {
            throw new IllegalStateException("unexpected live signal " + signal.getClass().getName());
        }
        return verdicts;
    }

    /** Advances the clock: silence becomes down, down past the grace becomes dead. */
    public synchronized List<Verdict> tick(Instant now) {
        if (phase == Phase.UP && lastFrame != null && now.isAfter(lastFrame.plus(settings.silenceTimeout()))) {
            down(lastFrame.plus(settings.silenceTimeout()), "no frame for " + settings.silenceTimeout().toSeconds() + " s");
        }
        if (phase == Phase.DOWN && !authFailed && !now.isBefore(downSince.plus(grace()))) {
            phase = Phase.DEAD;
            return List.of(new Verdict.Dead(now, downSince, deadReason(now) + outageNote()));
        }
        return List.of();
    }

    /** When the next {@link #tick} could change something, if anything is waiting: lets a scheduler tick exactly then. */
    public synchronized Optional<Instant> nextDeadline() {
        if (phase == Phase.UP && lastFrame != null) {
            return Optional.of(lastFrame.plus(settings.silenceTimeout()).plusMillis(1));
        }
        if (phase == Phase.DOWN && !authFailed) {
            return Optional.of(downSince.plus(grace()));
        }
        return Optional.empty();
    }

    /** Whether HA is away on an announced restart (or maintenance) still within the restart grace: checks need not ask it. */
    public synchronized boolean isRestartingAsPlanned() {
        return phase == Phase.DOWN && outages.current().filter(kind -> kind == OutageClassifier.Kind.PLANNED).isPresent();
    }

    public synchronized boolean isConnected() {
        return phase == Phase.UP;
    }

    /** Since when the connection has been up without a break: HA has not restarted since then. */
    public synchronized Optional<Instant> upSince() {
        return phase == Phase.UP ? Optional.ofNullable(connectedSince) : Optional.empty();
    }

    private Duration grace() {
        return outages.current().map(kind -> OutageClassifier.graceFor(kind, settings.grace(), settings.restartGrace()))
                .orElse(settings.grace());
    }

    private String outageNote() {
        return outages.current().map(kind -> switch (kind) {
            case PLANNED -> outages.stopAnnouncedAt().map(at -> "; Home Assistant announced its stop at " + at).orElse("; during maintenance")
                    + " and is not back within " + settings.restartGrace().toSeconds() + " s";
            case CRASHED -> "; then its port refused connections: Home Assistant's process is down (no stop was announced)";
            case UNREACHABLE -> "";
        }).orElse("");
    }

    private void frame(Instant at, List<Verdict> verdicts) {
        lastFrame = at;
        if (phase == Phase.DEAD) {
            verdicts.add(new Verdict.Recovered(at));
        }
        phase = Phase.UP;
    }

    /**
     * Issue 26: dead before the first attempt has failed (a host that does not answer keeps it waiting for the connect
     * timeout) said only "not connected yet"; it now says that no attempt has had an answer, and for how long.
     */
    private String deadReason(Instant now) {
        if (!downReason.equals(NOT_CONNECTED_YET)) {
            return downReason;
        }
        return NOT_CONNECTED_YET + ": no answer to the first connection attempt in " + Duration.between(downSince, now).toSeconds()
                + " s (Home Assistant's host or the network does not answer)";
    }

    private void down(Instant at, String reason) {
        if (phase == Phase.UP) {
            phase = Phase.DOWN;
            downSince = at;
            downReason = reason;
        }
    }
}
