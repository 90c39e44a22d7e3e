package dev.hadiag.app.relay;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event file in the tree, {@code <root>/<day>/<node>/<name>}. Files sort by day, then by name (which starts with
 * the event's timestamp), then by node: the order events happened in, across the nodes whose files share the tree.
 */
record EventFile(String day, String node, String name, Path path) {

    static final Comparator<EventFile> ORDER = Comparator.comparing(EventFile::day).thenComparing(EventFile::name)
            .thenComparing(EventFile::node);

    /** {@code <TIMESTAMP>_<type>_<uuid>.json}: the uuid is the event's identity, also for files of other tools. */
    private static final Pattern NAME = Pattern.compile(".*_([0-9a-fA-F-]{36})\\.json");

    /** The event's UUID from the file name, the idempotency key a consumer deduplicates on. */
    Optional<String> eventId() {
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The path below the events root, with '/' separators: how logs and the ledger name the file. */
    String relativePath() {
        return day + "/" + node + "/" + name;
    }
}
