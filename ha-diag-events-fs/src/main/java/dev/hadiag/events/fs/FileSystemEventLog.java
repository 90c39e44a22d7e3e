package dev.hadiag.events.fs;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.port.EventLogException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the event-system layout written by this project or any other tool that follows it. Events come
 * out oldest first: date directories in order, and within a date the node directories merged by event
 * timestamp (each node directory is read in file-name order, which the layout makes chronological).
 * Only one date's file names are held in memory at a time, and each file is parsed only when it is
 * reached, so a log of millions of events streams in constant memory per day.
 *
 * <p>A file that is not a valid event (truncated, foreign JSON, not JSON, a FIFO or other special file,
 * a link loop, a file over 16 MiB, a name that is not ASCII) is skipped with one warning naming it; the
 * listing always continues and never blocks.
 */
public final class FileSystemEventLog implements EventLog {

    private static final System.Logger LOG = System.getLogger(FileSystemEventLog.class.getName());
    /** Event files are small; a larger file is not an event and is not read into memory. */
    static final long MAX_EVENT_FILE_BYTES = 16L * 1024 * 1024;

    private final Path root;

    public FileSystemEventLog(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public Stream<Event> find(EventQuery query) {
        if (!Files.isDirectory(root)) {
            String problem = Files.exists(root) ? "is not a directory" : "does not exist";
            throw new EventLogException("events directory " + root + " " + problem, null);
        }
        List<Path> dates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (EventLayout.isDateDirectoryName(name) && mayHold(name, query) && Files.isDirectory(entry)) {
                    dates.add(entry);
                }
            }
        } catch (IOException e) {
            throw new EventLogException("events directory " + root + " cannot be read: " + EventLayout.describe(e), e);
        }
        dates.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Iterator<Event> events = new MergingIterator(dates, query);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Whether a date directory can hold events in the query's range (the layout dates files by their UTC day). */
    private static boolean mayHold(String dateName, EventQuery query) {
        LocalDate date;
        try {
            date = LocalDate.parse(dateName);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        Instant dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return dayEnd.isAfter(query.since()) && dayStart.isBefore(query.until());
    }

    /** Walks the date directories in order, merging each date's node directories by event timestamp. */
    private static final class MergingIterator implements Iterator<Event> {

        private final Iterator<Path> dates;
        private final EventQuery query;
        private final PriorityQueue<NodeCursor> day = new PriorityQueue<>(
                Comparator.comparing((NodeCursor c) -> c.head.timestamp()).thenComparing(c -> c.headName));

        MergingIterator(List<Path> dates, EventQuery query) {
            this.dates = dates.iterator();
            this.query = query;
        }

        @Override
        public boolean hasNext() {
            while (day.isEmpty() && dates.hasNext()) {
                openDay(dates.next());
            }
            return !day.isEmpty();
        }

        @Override
        public Event next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            NodeCursor cursor = day.poll();
            Event event = cursor.head;
            if (cursor.advance()) {
                day.add(cursor);
            }
            return event;
        }

        private void openDay(Path date) {
            try (DirectoryStream<Path> nodes = Files.newDirectoryStream(date)) {
                for (Path node : nodes) {
                    if (query.acceptsNode(node.getFileName().toString()) && Files.isDirectory(node)) {
                        NodeCursor cursor = NodeCursor.open(node, query);
                        if (cursor.advance()) {
                            day.add(cursor);
                        }
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "skipping events directory {0}: {1}", date, EventLayout.describe(e));
            }
        }
    }

    /** The next matching event of one node directory. */
    private static final class NodeCursor {

        private final Path[] files;
        private final EventQuery query;
        private int index;
        Event head;
        String headName;

        private NodeCursor(Path[] files, EventQuery query) {
            this.files = files;
            this.query = query;
        }

        static NodeCursor open(Path directory, EventQuery query) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path file : entries) {
                    String name = file.getFileName().toString();
                    if (!EventLayout.isEventFileName(name)) {
                        continue;
                    }
                    if (!EventLayout.isAscii(name)) {
                        // The layout's names are ASCII. Anything else cannot be an event file, and a name that
                        // is not even valid in the locale's charset must never be turned back into a path.
                        LOG.log(Level.WARNING, "skipping {0}{1}{2}: the file name is not ASCII, so it is not an event file",
                                directory, directory.getFileSystem().getSeparator(), EventLayout.printable(name));
                        continue;
                    }
                    files.add(file);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "skipping events directory {0}: {1}", directory, EventLayout.describe(e));
            }
            Path[] sorted = files.toArray(Path[]::new);
            java.util.Arrays.sort(sorted, Comparator.comparing((Path file) -> file.getFileName().toString()));
            return new NodeCursor(sorted, query);
        }

        /** Moves to the next readable event that matches the query; false when the directory is exhausted. */
        boolean advance() {
            while (index < files.length) {
                Path file = files[index++];
                Optional<Event> event = read(file);
                if (event.isPresent() && query.matches(event.get())) {
                    head = event.get();
                    headName = file.getFileName().toString();
                    return true;
                }
            }
            head = null;
            headName = null;
            return false;
        }
    }

    private static Optional<Event> read(Path file) {
        Optional<byte[]> bytes = EventFileBytes.read(file, MAX_EVENT_FILE_BYTES,
                reason -> LOG.log(Level.WARNING, "skipping {0}: {1}", file, reason));
        try {
            return bytes.map(EventJson::parse);
        } catch (MalformedEventException e) {
            LOG.log(Level.WARNING, "skipping {0}: {1}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
