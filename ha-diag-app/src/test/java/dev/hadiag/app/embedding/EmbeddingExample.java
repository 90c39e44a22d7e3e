package dev.hadiag.app.embedding;

// --- example start ---
import dev.hadiag.core.check.HeartbeatCheck;
import dev.hadiag.core.check.UpdatesAvailableCheck;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.events.fs.FileSystemEventSink;
import dev.hadiag.ha.client.HaClientSettings;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Path;
import java.util.List;

/** A tool of its own that asks Home Assistant two questions and writes any alert as an event file. */
public final class EmbeddingExample {

    public static List<CheckReport> lookOnce(String haUrl, AccessToken token, Path eventsDir, Path database) {
        try (OkHttpHomeAssistant ha = new OkHttpHomeAssistant(new HaClientSettings(haUrl, token));
                SqliteDiagnosticStore store = SqliteDiagnosticStore.open(database)) {
            Diagnostics diagnostics = Diagnostics.builder(ha, store, FileSystemEventSink.open(eventsDir))
                    .checks(new HeartbeatCheck(), new UpdatesAvailableCheck(IgnoreRules.NONE))
                    .events(new AlertEvents("my-tool-host", "lab", haUrl))
                    .build();
            return diagnostics.checkNames().stream().map(diagnostics::run).toList();
        }
    }
}
// --- example end ---
