package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.core.live.MaintenanceState;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.live.WebSocketWatchdog.Verdict;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.EventSinkException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * HA-wide alerts reported as they happen rather than found by a run: the WebSocket watchdog's verdicts and a
 * token rejected on any path. They open and resolve through the same lifecycle as every other alert, and
 * keep the {@link HaAvailabilityGate} in step. HA back after a restart is a notice ({@code ha_restarted}), no alert.
 */
final class HaAlerts {

    private static final System.Logger LOG = System.getLogger(HaAlerts.class.getName());

    static final String WEBSOCKET_DEAD_KEY = AlertKey.format(AlertType.WEBSOCKET_DEAD, RootCause.HOME_ASSISTANT);
    static final String AUTH_FAILED_KEY = AlertKey.format(AlertType.AUTH_FAILED, RootCause.HOME_ASSISTANT);

    private final WebSocketWatchdog watchdog;
    private final HaAvailabilityGate gate;
    private final AlertPublisher publisher;
    private final Supplier<String> correlationIds;

    /** Alerts a previous run of the agent left open are taken over: the first frame resolves them. */
    HaAlerts(WebSocketWatchdog.Settings settings, MaintenanceState maintenance, Instant startedAt, DiagnosticStore store,
            HaAvailabilityGate gate, AlertPublisher publisher, Supplier<String> correlationIds) {
        this.watchdog = new WebSocketWatchdog(settings, startedAt, store.openAlert(WEBSOCKET_DEAD_KEY).isPresent(),
                store.openAlert(AUTH_FAILED_KEY).isPresent(), maintenance);
        this.gate = gate;
        this.publisher = publisher;
        this.correlationIds = correlationIds;
    }

    WebSocketWatchdog watchdog() {
        return watchdog;
    }

    void onSignal(LiveSignal signal) {
        apply(watchdog.onSignal(signal));
    }

    void tick(Instant now) {
        apply(watchdog.tick(now));
    }

    /**
     * A check saw the token rejected: stop every call to HA until the auth retry, and open
     * {@code ha_auth_failed} now (owned by the heartbeat, whose successful retry resolves it), unless the
     * heartbeat or the watchdog has it open already.
     */
    void tokenRejected(String check, String message, Instant at) {
        gate.tokenRejected(at);
        try {
            publisher.open(authFailed(message, at, check), BuiltInCheck.HEARTBEAT.wire(), at);
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "could not record the rejected token: " + e.getMessage(), e);
        }
    }

    private void apply(List<Verdict> verdicts) {
        try {
            for (Verdict verdict : verdicts) {
                apply(verdict);
            }
        } catch (EventSinkException | DiagnosticStoreException e) {
            LOG.log(Level.ERROR, "could not record a WebSocket watchdog verdict: " + e.getMessage(), e);
        }
    }

    private void apply(Verdict verdict) {
        if (verdict instanceof Verdict.Dead dead) {
            publisher.open(new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR, RootCause.HOME_ASSISTANT,
                    "Home Assistant's WebSocket is dead: " + dead.reason(), List.of(), dead.since(),
                    Map.of("reason", dead.reason(), "detected_by", Diagnostics.WEBSOCKET)), Diagnostics.WEBSOCKET, dead.at());
        } else if (verdict instanceof Verdict.Recovered recovered) {
            publisher.resolve(WEBSOCKET_DEAD_KEY, recovered.at());
        } else if (verdict instanceof Verdict.AuthFailed failed) {
            gate.tokenRejected(failed.at()); // the REST calls use the same token: stop them too until the retry
            publisher.open(authFailed(failed.message(), failed.at(), Diagnostics.WEBSOCKET), Diagnostics.WEBSOCKET, failed.at());
        } else if (verdict instanceof Verdict.Restarted restarted) {
            publisher.notice(events -> RestartNotice.event(events, restarted, correlationIds.get()));
        } else if (verdict instanceof Verdict.AuthRecovered recovered) {
            gate.tokenAccepted();
            publisher.resolve(AUTH_FAILED_KEY, recovered.at());
        } else {
            throw new IllegalStateException("unexpected watchdog verdict " + verdict.getClass().getName());
        }
    }

    private static Finding authFailed(String message, Instant at, String detectedBy) {
        return new Finding(AlertType.AUTH_FAILED, Severity.ERROR, RootCause.HOME_ASSISTANT,
                "Home Assistant rejects the agent's token: " + message, List.of(), at,
                Map.of("error", message, "detected_by", detectedBy));
    }
}
