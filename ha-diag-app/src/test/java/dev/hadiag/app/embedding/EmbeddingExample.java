package dev.hadiag.app.embedding;

// --- example start ---
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.live.WebSocketWatchdog;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A tool of its own that asks Home Assistant two questions and writes any alert as an event file. */
public final class EmbeddingExample {

    public static List<CheckReport> lookOnce(String haUrl, AccessToken token, Path eventsDir, Path database) {
        try (OkHttpHomeAssistant ha = new OkHttpHomeAssistant(new HaClientSettings(haUrl, token));
                SqliteDiagnosticStore store = SqliteDiagnosticStore.open(database)) {
            AlertLifecycle lifecycle = new AlertLifecycle(store,
                    new AlertLifecycle.Settings(Duration.ofHours(24), alertType -> Duration.ZERO),
                    () -> UUID.randomUUID().toString());
            Diagnostics diagnostics = new Diagnostics(ha,
                    List.of(new HeartbeatCheck(), new UpdatesAvailableCheck(IgnoreRules.NONE)),
                    store, FileSystemEventSink.open(eventsDir), lifecycle,
                    new AlertEvents("my-tool-host", "lab", haUrl),
                    WebSocketWatchdog.Settings.DEFAULTS, Duration.ofMinutes(10), Clock.systemUTC(),
                    () -> UUID.randomUUID().toString());
            return diagnostics.checkNames().stream().map(diagnostics::run).toList();
        }
    }
}
// --- example end ---
