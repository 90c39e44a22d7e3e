package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.core.event.Event;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolution of the settings the event commands share: option, then environment, then the config file,
 * then default. The config file is read at most once, and only when an option leaves something open.
 */
final class Settings {

    private final String configOption;
    private final CliContext context;
    private ConfigLoader.EventSettings configured;

    Settings(String configOption, CliContext context) {
        this.configOption = configOption;
        this.context = context;
    }

    Path eventsDirectory(String option) {
        if (option != null) {
            return path(option, "--events-dir");
        }
        return configured().eventsDir();
    }

    /** The node to write as: {@code --node}, {@code NODE_NAME}, the config file's {@code node_name}, or the host name. */
    String node(String option) {
        if (option != null) {
            return safeNode(option, "--node");
        }
        Optional<String> node = configuredNode();
        if (node.isPresent()) {
            return safeNode(node.get(), "NODE_NAME or node_name");
        }
        return safeNode(HostName.get(), "the host name (set NODE_NAME or --node)");
    }

    /** The node set by {@code NODE_NAME} or the config file, if any. */
    Optional<String> configuredNode() {
        return configured().nodeName();
    }

    private ConfigLoader.EventSettings configured() {
        if (configured == null) {
            configured = ConfigLoader.eventSettings(context.env(), configOption);
        }
        return configured;
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
