package dev.hadiag.app.fleet;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.fleet.Outage;
import dev.hadiag.events.fs.FileSystemEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The outages the fleet wrote and has not resolved, read back from its own events tree at its start. The tree, not a store
 * of its own: the event files are what was written, so a crash between a write and a bookkeeping update cannot make the
 * two disagree; a restart neither writes a {@code node_offline} again (its file is there) nor loses one (no file: not
 * written, so written now). The look-back is bounded ({@link #LOOK_BACK}); the reader lists file names per day and opens
 * only the two types' files.
 */
final class FleetOutages {

    static final Duration LOOK_BACK = Duration.ofDays(90);
    static final String SOURCE = "ha-diag-fleet";

    private FleetOutages() {
    }

    static List<Outage> open(Path eventsDir, String fleetNode, Instant now) {
        if (!Files.isDirectory(eventsDir)) {
            return List.of();
        }
        Map<String, Outage> open = new LinkedHashMap<>();
        EventQuery query = EventQuery.all().withNodes(Set.of(fleetNode)).withTypes(Set.of(EventTypes.NODE_OFFLINE, EventTypes.NODE_ONLINE))
                .withSince(now.minus(LOOK_BACK));
        try (Stream<Event> events = new FileSystemEventLog(eventsDir).find(query)) {
            events.filter(event -> SOURCE.equals(event.source())).forEach(event -> {
                if (!(event.payload().get("node") instanceof String node)) {
                    return;
                }
                if (event.type().equals(EventTypes.NODE_OFFLINE)) {
                    open.put(node, new Outage(node, event.correlationId(), event.timestamp()));
                } else if (open.containsKey(node) && open.get(node).correlationId().equals(event.correlationId())) {
                    open.remove(node);
                }
            });
        }
        return List.copyOf(open.values());
    }
}
