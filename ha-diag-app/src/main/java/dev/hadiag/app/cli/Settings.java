package dev.hadiag.app.cli;

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

    static Path eventsDirectory(String option, CliContext context) {
        if (option != null) {
            return path(option, "--events-dir");
        }
        return context.envValue(EVENTS_DIR_ENV).map(value -> path(value, EVENTS_DIR_ENV)).orElse(DEFAULT_EVENTS_DIR);
    }

    /** The node to write as: {@code --node}, {@code NODE_NAME}, or the host name. */
    static String node(String option, CliContext context) {
        if (option != null) {
            return safeNode(option, "--node");
        }
        Optional<String> fromEnv = context.envValue(NODE_ENV);
        if (fromEnv.isPresent()) {
            return safeNode(fromEnv.get(), NODE_ENV);
        }
        return safeNode(HostName.get(), "the host name (set " + NODE_ENV + " or --node)");
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
