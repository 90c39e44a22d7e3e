package dev.hadiag.app.agent;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.CheckSettings;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.check.AutomationFailuresCheck;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.CheckNames;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.RecorderCheck;
import dev.hadiag.core.check.RepairsCheck;
import dev.hadiag.core.check.SystemHealthCheck;
import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.ha.client.LiveConnectionSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the core's checks and {@link Diagnostics} from the configuration: the one place settings meet the core. */
public final class DiagnosticsFactory {

    private DiagnosticsFactory() {
    }

    public static Check check(String name, CheckSettings settings, DiagnosticStore store) {
        return switch (name) {
            case CheckNames.HEARTBEAT -> new HeartbeatCheck();
            case CheckNames.UNAVAILABLE_ENTITIES -> new UnavailableEntitiesCheck(
                    new UnavailableEntitiesAnalysis.Settings(settings.ignore(), settings.unknownCountsFor()), store);
            case CheckNames.SYSTEM_HEALTH -> new SystemHealthCheck(settings.ignore());
            case CheckNames.AUTOMATION_FAILURES -> new AutomationFailuresCheck(settings.ignore());
            case CheckNames.UPDATES_AVAILABLE -> new UpdatesAvailableCheck(settings.ignore());
            case CheckNames.RECORDER -> new RecorderCheck(settings.backlogThreshold());
            case CheckNames.REPAIRS -> new RepairsCheck(settings.ignoreIssues(), store);
            default -> throw new IllegalArgumentException("no check named " + name);
        };
    }

    /** @param checkNames which checks to run (in any order); the agent passes the enabled ones */
    public static Diagnostics create(AgentConfig config, List<String> checkNames, HomeAssistant ha, DiagnosticStore store,
            EventSink sink, Clock clock) {
        List<Check> checks = new ArrayList<>();
        for (String name : checkNames) {
            checks.add(check(name, config.check(name), store));
        }
        Duration threshold = config.check(CheckNames.UNAVAILABLE_ENTITIES).threshold();
        AlertLifecycle.Settings lifecycle = new AlertLifecycle.Settings(config.repeatInterval(), type -> switch (type) {
            case ENTITY_UNAVAILABLE_LONG -> threshold;
            case INTEGRATION_FAILED -> config.integrationMinDuration();
            case WEBSOCKET_DEAD -> config.wsGrace();
            default -> config.minDuration();
        });
        return new Diagnostics(ha, checks, store, sink, new AlertLifecycle(store, lifecycle, DiagnosticsFactory::newId,
                        new StormGuard(config.maxEventsPerRun())),
                new AlertEvents(config.nodeName(), config.locationTag(), config.haUrl(),
                        key -> RepairsCheck.attachedTo(key, store.firstSeen(RepairsCheck.ATTACHED_SCOPE))),
                new WebSocketWatchdog.Settings(config.wsSilenceTimeout(), config.wsGrace()),
                LiveConnectionSettings.DEFAULTS.authRetry(), clock, DiagnosticsFactory::newId);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
