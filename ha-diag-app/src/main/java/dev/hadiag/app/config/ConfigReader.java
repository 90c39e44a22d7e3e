package dev.hadiag.app.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed settings over a {@link ConfigSource}: each lookup names the key, its environment variable (or null), its
 * default and what it accepts. A bad value is one problem ({@code 'x' is not ...}) and the default stands in, so
 * that every problem is found in one pass. A reader for a section ({@link #under}) prefixes every key it asks.
 */
final class ConfigReader {

    private final ConfigSource source;
    private final String prefix;

    ConfigReader(ConfigSource source) {
        this(source, "");
    }

    private ConfigReader(ConfigSource source, String prefix) {
        this.source = source;
        this.prefix = prefix;
    }

    /** The keys of a section: {@code under("checks.recorder.").number("backlog_threshold", ...)}. */
    ConfigReader under(String sectionPrefix) {
        return new ConfigReader(source, prefix + sectionPrefix);
    }

    ConfigSource source() {
        return source;
    }

    Optional<ConfigSource.Value> text(String key, String envName) {
        Optional<ConfigSource.Value> value = source.text(prefix + key, envName);
        source.effective(prefix + key, envName, value.map(ConfigSource.Value::value).orElse("(unset)"),
                value.map(ConfigSource.Value::source).orElse("default"));
        return value;
    }

    String text(String key, String envName, String fallback) {
        Optional<ConfigSource.Value> value = text(key, envName);
        if (value.isEmpty()) {
            source.effective(prefix + key, envName, fallback.isEmpty() ? "(empty)" : fallback, "default");
        }
        return value.map(ConfigSource.Value::value).orElse(fallback);
    }

    /** Notes a key's effective value that the reader's own lookups do not know (a default computed elsewhere). */
    void effective(String key, String envName, String value, String origin) {
        source.effective(prefix + key, envName, value, origin);
    }

    /** A YAML list, or one comma-separated value. */
    List<String> list(String key) {
        return source.list(prefix + key);
    }

    List<String> list(String key, List<String> fallback) {
        return source.list(prefix + key, fallback);
    }

    Duration duration(String key, String envName, Duration fallback) {
        return typed(key, envName, fallback, v -> Durations.parse(v).filter(d -> !d.isZero()),
                "a positive duration (90s, 15m, 24h, or seconds)");
    }

    /** A duration that may be zero (e.g. "alert at once"). */
    Duration durationOrZero(String key, String envName, Duration fallback) {
        return typed(key, envName, fallback, Durations::parse, "a duration (0s, 90s, 15m, 24h, or seconds)");
    }

    long number(String key, String envName, long fallback, long min, long max) {
        return typed(key, envName, fallback, v -> {
            try {
                long n = Long.parseLong(v);
                return n < min || n > max ? Optional.empty() : Optional.of(n);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }, "a whole number from " + min + " to " + max);
    }

    double decimal(String key, String envName, double fallback, double min, double max) {
        return typed(key, envName, fallback, v -> {
            try {
                double d = Double.parseDouble(v);
                return d >= min && d <= max ? Optional.of(d) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }, "a number from " + (long) min + " to " + (long) max);
    }

    boolean bool(String key, String envName, boolean fallback) {
        return typed(key, envName, fallback, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Optional.of(true);
            case "false", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        }, "true or false");
    }

    Path path(String key, String envName, Path fallback) {
        return typed(key, envName, fallback, v -> {
            try {
                return Optional.of(Path.of(v));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }, "a usable path");
    }

    /** One of an enum's constants, by name in any case. */
    <E extends Enum<E>> E choice(String key, String envName, Class<E> type, E fallback) {
        return text(key, envName).map(v -> {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(v.value().trim())) {
                    return value;
                }
            }
            source.problem(prefix + key, v.source(), "'" + v.value() + "' is not one of "
                    + String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
            return fallback;
        }).orElseGet(() -> {
            source.effective(prefix + key, envName, show(fallback), "default");
            return fallback;
        });
    }

    /** A bad item of a list the caller parses itself: one problem, reported with the others. */
    void problem(String key, String message) {
        source.problem(prefix + key, "config file", message);
    }

    private <T> T typed(String key, String envName, T fallback, Function<String, Optional<T>> parse, String expected) {
        Optional<ConfigSource.Value> value = text(key, envName);
        if (value.isEmpty()) {
            source.effective(prefix + key, envName, show(fallback), "default");
            return fallback;
        }
        Optional<T> parsed = parse.apply(value.get().value());
        if (parsed.isEmpty()) {
            source.problem(prefix + key, value.get().source(), "'" + value.get().value() + "' is not " + expected);
            return fallback;
        }
        source.effective(prefix + key, envName, show(parsed.get()), value.get().source());
        return parsed.get();
    }

    /** A value as the YAML file would write it: {@code 15m}, {@code info}, {@code 20}. */
    private static String show(Object value) {
        if (value instanceof Duration duration) {
            return Durations.format(duration);
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
            return String.valueOf(number.longValue());
        }
        return String.valueOf(value);
    }
}
