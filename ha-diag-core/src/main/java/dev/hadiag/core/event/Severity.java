package dev.hadiag.core.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The closed set of event severities of the homelab event schema, ordered from least to most severe. */
public enum Severity {
    INFO, WARNING, ERROR, CRITICAL;

    /** The name used in event files: {@code info}, {@code warning}, {@code error}, {@code critical}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    public static Severity fromWireName(String text) {
        for (Severity severity : values()) {
            if (severity.wireName().equals(text)) {
                return severity;
            }
        }
        throw new IllegalArgumentException("severity must be one of " + allowedValues() + ", was '" + text + "'");
    }

    /** The wire names joined for messages: {@code info|warning|error|critical}. */
    public static String allowedValues() {
        return Arrays.stream(values()).map(Severity::wireName).collect(Collectors.joining("|"));
    }
}
