package dev.hadiag.app.logging;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent logs.
 *
 * @param operatorFileName the operator's own logback file ({@code HA_DIAG_LOGBACK}), or empty for the bundled one
 */
public record LogSettings(Format format, Level level, String operatorFileName) {

    public enum Format { JSON, CONSOLE }

    /** Logback's levels, by the names operators write. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public LogSettings {
        operatorFileName = operatorFileName == null ? "" : operatorFileName;
    }

    /**
     * What the one-shot commands log with before (or without) reading the agent's configuration: the environment's
     * {@code HA_DIAG_LOG_FORMAT}, {@code HA_DIAG_LOG_LEVEL} and {@code HA_DIAG_LOGBACK}, console lines at INFO by
     * default. A value that is not valid is ignored here; the commands that load the configuration report it.
     */
    public static LogSettings fromEnvironment(Map<String, String> env) {
        Format format = parse(Format.class, env.get("HA_DIAG_LOG_FORMAT"), Format.CONSOLE);
        Level level = parse(Level.class, env.get("HA_DIAG_LOG_LEVEL"), Level.INFO);
        String file = env.getOrDefault("HA_DIAG_LOGBACK", "").trim();
        boolean usable;
        try {
            usable = !file.isEmpty() && Files.isRegularFile(Path.of(file)) && Files.isReadable(Path.of(file));
        } catch (InvalidPathException e) {
            usable = false;
        }
        return new LogSettings(format, level, usable ? file : "");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value != null) {
            for (E candidate : type.getEnumConstants()) {
                if (candidate.name().equalsIgnoreCase(value.trim())) {
                    return candidate;
                }
            }
        }
        return fallback;
    }

    public Optional<Path> operatorFile() {
        return operatorFileName.isEmpty() ? Optional.empty() : Optional.of(Path.of(operatorFileName));
    }
}
