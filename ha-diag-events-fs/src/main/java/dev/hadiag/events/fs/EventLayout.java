package dev.hadiag.events.fs;

import dev.hadiag.core.event.Event;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The on-disk layout: {@code <root>/YYYY-MM-DD/<node>/<TIMESTAMP>_<type>_<uuid>.json}, all in UTC. Other readers of
 * the tree (the relay) use its public predicates rather than their own copy of the rules.
 */
public final class EventLayout {

    static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    /** Filename-safe and lexicographically sortable, e.g. {@code 20260603T171934.123Z}. */
    static final DateTimeFormatter FILE_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final Pattern DATE_DIRECTORY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    static final String EVENT_SUFFIX = ".json";
    /** Temp files are hidden (leading dot) and carry the writer's pid so a later start can tell stale ones. */
    static final String TEMP_PREFIX = ".ha-diag-";
    static final String TEMP_SUFFIX = ".tmp";

    private EventLayout() {
    }

    static Path directoryOf(Path root, Event event) {
        return root.resolve(DATE.format(event.timestamp())).resolve(event.node());
    }

    static String fileNameOf(Event event, UUID id) {
        return FILE_TIMESTAMP.format(event.timestamp()) + "_" + event.type() + "_" + id + EVENT_SUFFIX;
    }

    static String tempNameFor(UUID id) {
        return TEMP_PREFIX + ProcessHandle.current().pid() + "-" + id + TEMP_SUFFIX;
    }

    /** Whether a directory entry of the root is a day directory ({@code 2026-11-24}). */
    public static boolean isDateDirectoryName(String name) {
        return DATE_DIRECTORY.matcher(name).matches();
    }

    /** Whether a directory entry is an event file a reader should look at (temp and hidden files are not). */
    public static boolean isEventFileName(String name) {
        return name.endsWith(EVENT_SUFFIX) && !name.startsWith(".");
    }

    /** Whether a name is printable ASCII, as every name of the layout is. */
    static boolean isAscii(String name) {
        return name.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** A name as it can be shown in a log line: anything but printable ASCII becomes {@code ?}. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    /** A short, human reason for an I/O failure; NIO's own messages are often just a path. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory (" + e.getMessage() + ")";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + " (" + fse.getFile() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
