package dev.hadiag.core.ha;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One entry of HA's own log as {@code system_log/list} keeps it: HA folds repeats of one logger, source line and
 * exception into one entry, counts them, and keeps the last five distinct messages. At most 50 entries (WARNING and
 * above), all gone when HA restarts.
 *
 * @param logger        the Python logger's name, e.g. {@code homeassistant.components.metno} or {@code custom_components.foo.sensor}
 * @param messages      HA's messages, oldest first (at most five)
 * @param level         {@code WARNING}, {@code ERROR} or {@code CRITICAL} (upper case)
 * @param source        where it was logged, {@code file:line}
 * @param count         how many times HA saw it since {@code firstOccurred}
 * @param firstOccurred when HA first saw it (the entry's identity with the logger and the source)
 * @param lastOccurred  when HA last saw it
 * @param exception     the traceback HA kept, or empty
 */
public record LogEntry(String logger, List<String> messages, String level, String source, long count, Instant firstOccurred,
        Instant lastOccurred, String exception) {

    public LogEntry {
        Strings.required("name", logger);
        messages = List.copyOf(messages);
        level = Strings.orEmpty(level).toUpperCase(Locale.ROOT);
        source = Strings.orEmpty(source);
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (firstOccurred == null || lastOccurred == null) {
            throw new IllegalArgumentException("a log entry needs first_occurred and timestamp");
        }
        exception = Strings.orEmpty(exception);
    }

    /**
     * The entry's identity for as long as HA keeps it: logger, source, level and first occurrence. HA restarted, or the
     * entry pushed out of its 50 and logged again, is a new entry with a new first occurrence: every one of its counts is new.
     */
    public String identity() {
        return logger + "|" + source + "|" + level + "|" + firstOccurred;
    }

    /** The last message HA kept, or empty. */
    public String lastMessage() {
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1);
    }
}
