package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.port.HomeAssistant;
import java.util.List;
import java.util.Map;

/**
 * Is HA there? {@code GET /api/} and {@code /api/config}. Unreachable (refused, timeout, 5xx) is an
 * {@code ha_websocket_dead} cause, a rejected token an {@code ha_auth_failed} cause. HA answering while
 * its core is starting is neither down nor a finding.
 */
public final class HeartbeatCheck implements Check {

    @Override
    public String name() {
        return BuiltInCheck.HEARTBEAT.wire();
    }

    @Override
    public boolean needsRunningHa() {
        return false;
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        try {
            ha.ping();
            HaConfig config = ha.config();
            String note = config.state().isStarting()
                    ? "Home Assistant " + config.version() + " is starting (core state " + config.state() + ")"
                    : "Home Assistant " + config.version() + " answers, core state " + config.state();
            return new CheckOutcome.Completed(List.of(), List.of(), note, Map.of(), new HaSeen.Answering(config.version(), config.state()));
        } catch (HaUnreachableException e) {
            return new CheckOutcome.Completed(List.of(new Finding(AlertType.WEBSOCKET_DEAD, Severity.ERROR,
                    RootCause.HOME_ASSISTANT, "Home Assistant is unreachable: " + e.getMessage(), List.of(), context.now(),
                    Map.of("error", e.getMessage(), "detected_by", "heartbeat"))), List.of(), "", Map.of(), new HaSeen.Unreachable());
        } catch (HaUnauthorizedException e) {
            return new CheckOutcome.Completed(List.of(new Finding(AlertType.AUTH_FAILED, Severity.ERROR,
                    RootCause.HOME_ASSISTANT, "Home Assistant rejects the agent's token: " + e.getMessage(), List.of(),
                    context.now(), Map.of("error", e.getMessage(), "detected_by", "heartbeat"))), List.of(), "", Map.of(),
                    new HaSeen.TokenRejected());
        }
    }
}
