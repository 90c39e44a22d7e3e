package dev.hadiag.app.cli;

import picocli.CommandLine.Option;

/** The options every {@code events} command shares: where the tree is, and the config file that may say so. */
final class EventTreeOptions {

    @Option(names = "--events-dir", description = "Events root (env HA_DIAG_EVENTS_DIR, default /opt/homelab/events).")
    String eventsDir;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file for events_dir and node_name "
            + "(default: $HA_DIAG_CONFIG, else /opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml if it exists)")
    String config;

    Settings settings(CliContext context) {
        return new Settings(config, context);
    }
}
