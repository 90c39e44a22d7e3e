package dev.hadiag.core.diagnostics;

import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.CheckContext;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.port.DiagnosticStoreException;
import dev.hadiag.core.port.HomeAssistant;
import java.lang.System.Logger.Level;
import java.time.Instant;

/** Runs one check against HA and turns every fault of HA, of the store or of the check into an outcome. */
final class CheckExecutor {

    private static final System.Logger LOG = System.getLogger(CheckExecutor.class.getName());

    private final HomeAssistant ha;
    private final HaAlerts haAlerts;

    CheckExecutor(HomeAssistant ha, HaAlerts haAlerts) {
        this.ha = ha;
        this.haAlerts = haAlerts;
    }

    CheckOutcome execute(Check check, Instant now) {
        try {
            if (check.needsRunningHa()) {
                HaConfig config = ha.config();
                if (config.state().isStarting()) {
                    return new CheckOutcome.Skipped("Home Assistant is starting (core state " + config.state() + ")");
                }
            }
            CheckContext context = haAlerts.watchdog().upSince().map(up -> CheckContext.at(now, up))
                    .orElseGet(() -> CheckContext.at(now));
            return check.run(ha, context);
        } catch (HaUnreachableException e) {
            return new CheckOutcome.Skipped("Home Assistant unreachable: " + e.getMessage());
        } catch (HaUnauthorizedException e) {
            haAlerts.tokenRejected(check.name(), e.getMessage(), now);
            return new CheckOutcome.Skipped("Home Assistant rejects the token: " + e.getMessage());
        } catch (HaProtocolException e) {
            return new CheckOutcome.Failed("Home Assistant's answer could not be used: " + e.getMessage());
        } catch (DiagnosticStoreException e) {
            return new CheckOutcome.Failed("state store: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "check " + check.name() + " failed unexpectedly", e);
            return new CheckOutcome.Failed("internal error: " + e);
        }
    }
}
