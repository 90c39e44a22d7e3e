package dev.hadiag.app.agent;

import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.Checks;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.alert.StormGuard;
import dev.hadiag.core.analysis.UnavailableEntitiesAnalysis;
import dev.hadiag.core.check.AutomationFailuresCheck;
import dev.hadiag.core.check.BackupsCheck;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.check.Check;
import dev.hadiag.core.check.FlapHold;
import dev.hadiag.core.check.FlappingCheck;
import dev.hadiag.core.check.LogErrorsCheck;
import dev.hadiag.core.check.LowBatteriesCheck;
import dev.hadiag.core.check.StaleEntitiesCheck;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.RecorderCheck;
import dev.hadiag.core.check.RepairsCheck;
import dev.hadiag.core.check.SystemHealthCheck;
import dev.hadiag.core.check.UnavailableEntitiesCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.diagnostics.DiagnosticsBuilder;
import dev.hadiag.core.live.LiveStates;
import dev.hadiag.core.diagnostics.SilenceGate;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.check.InMemoryReportingHistory;
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

    /**
     * @param live     what the live stream feeds the stale and flapping checks
     * @param flapHold shared by the flapping check (which fills it) and the unavailable check (which holds what flaps)
     */
    static Check check(String name, Checks settings, DiagnosticStore store, LiveStates live, FlapHold flapHold) {
        BuiltInCheck builtIn = BuiltInCheck.named(name).orElseThrow(() -> new IllegalArgumentException("no check named " + name));
        return switch (builtIn) {
            case HEARTBEAT -> new HeartbeatCheck();
            case UNAVAILABLE_ENTITIES -> new UnavailableEntitiesCheck(new UnavailableEntitiesAnalysis.Settings(
                    settings.unavailableEntities().ignore(), settings.unavailableEntities().unknownCountsFor()), store, flapHold);
            case SYSTEM_HEALTH -> new SystemHealthCheck(settings.systemHealth().ignore());
            case AUTOMATION_FAILURES -> new AutomationFailuresCheck(settings.automationFailures().ignore());
            case UPDATES_AVAILABLE -> new UpdatesAvailableCheck(settings.updatesAvailable().ignore());
            case RECORDER -> new RecorderCheck(settings.recorder().backlogThreshold());
            case REPAIRS -> new RepairsCheck(settings.repairs().ignoreIssues(), store, settings.schedule(BuiltInCheck.BACKUPS.wire()).enabled());
            case STALE_ENTITIES -> new StaleEntitiesCheck(settings.staleEntities().rules(), live,
                    store instanceof ReportingHistory history ? history : new InMemoryReportingHistory());
            case FLAPPING -> new FlappingCheck(live, flapHold, store);
            case BACKUPS -> new BackupsCheck(settings.backups().rules());
            case LOW_BATTERIES -> new LowBatteriesCheck(settings.lowBatteries().rules(), store);
            case HA_LOG_ERRORS -> new LogErrorsCheck(settings.logErrors().rules(), store, settings.schedule(BuiltInCheck.AUTOMATION_FAILURES.wire()).enabled());
        };
    }

    /** @param checkNames which checks to run (in any order); the agent passes the enabled ones */
    public static Diagnostics create(AgentConfig config, List<String> checkNames, HomeAssistant ha, DiagnosticStore store,
            EventSink sink, Clock clock) {
        return create(config, checkNames, ha, store, sink, clock, new LiveStates(config.checks().flapping().detector()));
    }

    /**
     * @param live what the live stream feeds (the agent passes every live signal to it); the stale and
     *             flapping checks read it, and the unavailable check holds what flaps
     */
    public static Diagnostics create(AgentConfig config, List<String> checkNames, HomeAssistant ha, DiagnosticStore store,
            EventSink sink, Clock clock, LiveStates live) {
        List<Check> checks = new ArrayList<>();
        FlapHold flapHold = new FlapHold(live);
        for (String name : checkNames) {
            checks.add(check(name, config.checks(), store, live, flapHold));
        }
        AlertLifecycle.Settings lifecycle = new AlertLifecycle.Settings(config.alerts().repeatInterval(), type -> switch (type) {
            case ENTITY_UNAVAILABLE_LONG -> config.checks().unavailableEntities().threshold();
            case INTEGRATION_FAILED -> config.checks().systemHealth().minDuration();
            case WEBSOCKET_DEAD -> config.websocket().grace();
            default -> config.alerts().minDuration();
        });
        AlertEvents events = new AlertEvents(config.nodeName(), config.locationTag(), config.haUrl(),
                key -> RepairsCheck.attachedTo(key, store.repairAttachments()));
        DiagnosticsBuilder builder = Diagnostics.builder(ha, store, sink).checks(checks).alerts(lifecycle)
                .stormGuard(new StormGuard(config.alerts().maxEventsPerRun()))
                .events(events)
                .watchdog(new WebSocketWatchdog.Settings(config.websocket().silenceTimeout(), config.websocket().grace(),
                        config.websocket().restartGrace()))
                .authRetry(LiveConnectionSettings.DEFAULTS.authRetry()).clock(clock).correlationIds(DiagnosticsFactory::newId);
        // Silences live in the same store when it can keep them (SQLite does; a test's store may not); while HA's
        // maintenance entity is on, a restart is planned too.
        if (store instanceof SilenceStore silenceStore) {
            SilenceGate silences = new SilenceGate(silenceStore, events, ha,
                    new SilenceGate.Settings(config.maintenanceEntity(), MAINTENANCE_POLL));
            builder.silences(silences).maintenance(() -> silences.maintenance().isActive());
        }
        return builder.build();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
