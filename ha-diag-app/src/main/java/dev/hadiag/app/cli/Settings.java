package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.event.Event;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Resolution of the settings the event commands share: option, then environment, then default. */
final class Settings {

    static final String EVENTS_DIR_ENV = "HA_DIAG_EVENTS_DIR";
    static final String NODE_ENV = "NODE_NAME";
    static final Path DEFAULT_EVENTS_DIR = Path.of("/opt/homelab/events");

    private Settings() {
    }

    static Path eventsDirectory(String option, String configOption, CliContext context) {
        if (option != null) {
            return path(option, "--events-dir");
        }
        return ConfigLoader.eventSettings(context.env(), configOption).eventsDir();
    }

    /** The node to write as: {@code --node}, {@code NODE_NAME}, the config file's {@code node_name}, or the host name. */
    static String node(String option, String configOption, CliContext context) {
        if (option != null) {
            return safeNode(option, "--node");
        }
        Optional<String> configured = ConfigLoader.eventSettings(context.env(), configOption).nodeName();
        if (configured.isPresent()) {
            return safeNode(configured.get(), NODE_ENV + " or node_name");
        }
        return safeNode(HostName.get(), "the host name (set " + NODE_ENV + " or --node)");
    }

    /** The node set by {@code NODE_NAME} or the config file, if any. */
    static Optional<String> configuredNode(String configOption, CliContext context) {
        return ConfigLoader.eventSettings(context.env(), configOption).nodeName();
    }

    private static Path path(String value, String source) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(source + ": '" + value + "' is not a usable path: " + e.getReason());
        }
    }

    private static String safeNode(String value, String source) {
        if (!Event.SAFE_NAME.matcher(value).matches()) {
            throw new UsageException("node name '" + value + "' from " + source + " must match " + Event.SAFE_NAME.pattern());
        }
        return value;
    }
}
