package dev.hadiag.app.agent;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.CheckSettings;
import dev.hadiag.core.alert.AlertLifecycle;
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
import dev.hadiag.core.diagnostics.SilenceGate;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.ha.client.LiveConnectionSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the core's checks and {@link Diagnostics} from the configuration: the one place settings meet the core. */
public final class DiagnosticsFactory {

    /** How often HA's maintenance entity is read: the delay before maintenance silences (or releases) alerts. */
    static final Duration MAINTENANCE_POLL = Duration.ofSeconds(5);

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
            case CheckNames.REPAIRS -> new RepairsCheck(settings.ignoreIssues());
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
        AlertEvents events = new AlertEvents(config.nodeName(), config.locationTag(), config.haUrl());
        // Silences (issue #16) live in the same store when it can keep them (SQLite does; a test's store may not).
        SilenceGate silences = store instanceof SilenceStore silenceStore ? new SilenceGate(silenceStore, store, sink, events, ha,
                new SilenceGate.Settings(config.maintenanceEntity(), MAINTENANCE_POLL)) : null;
        return new Diagnostics(ha, checks, store, sink, new AlertLifecycle(store, lifecycle, DiagnosticsFactory::newId), events,
                new WebSocketWatchdog.Settings(config.wsSilenceTimeout(), config.wsGrace()),
                LiveConnectionSettings.DEFAULTS.authRetry(), clock, DiagnosticsFactory::newId, silences);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
