package dev.hadiag.app.bench;

import dev.hadiag.app.agent.DiagnosticsFactory;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.EventSink;
import dev.hadiag.core.port.HomeAssistant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The agent's own wiring for the benchmarks, against a synthetic HA. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** @param threshold {@code 0s}: every cause alerts at once (storms); {@code 15m}: the default */
    static Diagnostics unavailableEntities(String haUrl, String threshold, HomeAssistant ha, DiagnosticStore store, EventSink sink)
            throws java.io.IOException {
        return unavailableEntities(haUrl, SyntheticHomeAssistant.TOKEN.value(), threshold, ha, store, sink);
    }

    /** The same against any HA (a real one: its URL and token). */
    static Diagnostics unavailableEntities(String haUrl, String token, String threshold, HomeAssistant ha, DiagnosticStore store,
            EventSink sink) throws java.io.IOException {
        Path config = Files.createTempFile("ha-diag-bench", ".yaml");
        Files.writeString(config, "checks:\n  unavailable_entities: { threshold: " + threshold + " }\n");
        AgentConfig agentConfig = ConfigLoader.load(Map.of("HA_URL", haUrl, "HA_TOKEN", token,
                "NODE_NAME", "bench"), config.toString(), () -> "bench");
        Files.delete(config);
        return DiagnosticsFactory.create(agentConfig, java.util.List.of(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()), ha, store, sink,
                Clock.systemUTC());
    }
}
