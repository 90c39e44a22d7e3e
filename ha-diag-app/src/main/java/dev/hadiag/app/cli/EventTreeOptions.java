package dev.hadiag.app.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every {@code events} command shares: where the tree is, and the config file that may say so. */
final class EventTreeOptions {

    @Option(names = "--events-dir", description = "Events root (env HA_DIAG_EVENTS_DIR, default /opt/homelab/events).")
    String eventsDir;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    Settings settings(CliContext context) {
        return new Settings(config.file, context);
    }
}
