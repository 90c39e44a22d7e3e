package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.event.AlertType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a check may call HA now. While the last heartbeat found HA unreachable (and the live connection
 * is not up), every other check is skipped without asking HA: HA down is one alert, not seven. Once HA
 * rejects the token on any path (the heartbeat, any other check's REST or WebSocket call, or the live
 * connection's {@code auth_invalid}), every check, the heartbeat included, is skipped until the auth retry
 * has passed or the live connection has authenticated again: every rejected attempt makes HA notify its
 * users of a failed login. Thread-safe.
 */
public final class HaAvailabilityGate {

    private final Duration authRetry;
    /** What the last completed heartbeat found ({@code WEBSOCKET_DEAD} or {@code AUTH_FAILED}), or null: all well. */
    private volatile AlertType heartbeatProblem;
    private volatile Instant tokenRejectedAt;

    /** @param authRetry how long after a rejected token the heartbeat tries it again */
    public HaAvailabilityGate(Duration authRetry) {
        if (authRetry == null || authRetry.isNegative()) {
            throw new IllegalArgumentException("auth retry must not be negative");
        }
        this.authRetry = authRetry;
    }

    /**
     * Why {@code check} must not call HA at {@code now}, or empty when it may.
     *
     * @param plannedRestart HA announced its stop and is not back yet: no check's outage, the heartbeat's included
     */
    public Optional<String> closedFor(String check, Instant now, boolean liveConnected, boolean plannedRestart) {
        Instant rejected = tokenRejectedAt;
        if (rejected != null && now.isBefore(rejected.plus(authRetry))) {
            return Optional.of("Home Assistant rejected the token at " + rejected + "; not trying again before "
                    + rejected.plus(authRetry));
        }
        if (plannedRestart) {
            return Optional.of("Home Assistant is restarting as planned");
        }
        if (check.equals(BuiltInCheck.HEARTBEAT.wire())) {
            return Optional.empty(); // the auth retry: the heartbeat alone tries the token again
        }
        if (heartbeatProblem == AlertType.AUTH_FAILED) {
            return Optional.of("Home Assistant rejects the token");
        }
        if (heartbeatProblem == AlertType.WEBSOCKET_DEAD && !liveConnected) {
            return Optional.of("Home Assistant unreachable");
        }
        return Optional.empty();
    }

    /** A heartbeat completed: its first finding (if any) is HA's problem from now on. */
    public void heartbeatCompleted(List<Finding> findings, Instant at) {
        AlertType problem = findings.stream().map(Finding::type).findFirst().orElse(null);
        heartbeatProblem = problem;
        tokenRejectedAt = problem == AlertType.AUTH_FAILED ? at : null;
    }

    /** Any path saw the token rejected: every call waits for the auth retry. */
    public void tokenRejected(Instant at) {
        tokenRejectedAt = at;
        heartbeatProblem = AlertType.AUTH_FAILED;
    }

    /** The live connection authenticated again: the token is good. */
    public void tokenAccepted() {
        tokenRejectedAt = null;
        if (heartbeatProblem == AlertType.AUTH_FAILED) {
            heartbeatProblem = null;
        }
    }
}
