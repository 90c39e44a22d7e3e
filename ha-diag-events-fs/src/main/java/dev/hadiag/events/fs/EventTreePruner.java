package dev.hadiag.events.fs;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Removes whole day directories of an events tree that are older than a cut, and nothing else. The tree is shared with
 * other tools, so a day goes only when every entry in it is an event file (or a writer's temp file) in a node directory
 * and none was modified after the cut: a day with anything else in it, or with a file younger than the cut, is kept
 * whole and said why. A day leaves at once for readers: it is renamed to a hidden name first (readers skip names that
 * are not {@code YYYY-MM-DD}), then deleted; a deletion cut short (a crash) is finished by the next prune.
 */
public final class EventTreePruner {

    private static final System.Logger LOG = System.getLogger(EventTreePruner.class.getName());
    /** A day on its way out: hidden, so no reader lists it. */
    static final String PRUNING_PREFIX = ".ha-diag-pruning-";

    /**
     * What became of one day directory.
     *
     * @param pruned whether it was removed (or, on a dry run, would be)
     * @param files  the event files in it
     * @param reason why it was kept; empty when pruned
     */
    public record Day(LocalDate day, boolean pruned, int files, String reason) {
    }

    private EventTreePruner() {
    }

    /**
     * Removes every day directory of {@code root} that ended at or before {@code cut} and holds only event files older
     * than the cut. Days younger than the cut are not looked at and not reported.
     *
     * @param dryRun report only, remove nothing
     * @return the days that ended before the cut, oldest first, pruned or kept with the reason
     * @throws IOException when the root cannot be listed
     */
    public static List<Day> prune(Path root, Instant cut, boolean dryRun) throws IOException {
        if (!dryRun) {
            finishInterrupted(root);
        }
        List<Path> days = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                Optional<LocalDate> day = dayOf(entry.getFileName().toString());
                if (day.isPresent() && !endOf(day.get()).isAfter(cut)) {
                    days.add(entry);
                }
            }
        }
        days.sort(Comparator.comparing(path -> path.getFileName().toString()));
        List<Day> outcomes = new ArrayList<>();
        for (Path day : days) {
            outcomes.add(pruneDay(root, day, cut, dryRun));
        }
        return outcomes;
    }

    private static Day pruneDay(Path root, Path dir, Instant cut, boolean dryRun) {
        LocalDate day = dayOf(dir.getFileName().toString()).orElseThrow();
        Inspection found;
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return new Day(day, false, 0, "is not a directory (a link, or a file): left alone");
            }
            found = inspect(dir, cut);
        } catch (IOException e) {
            return new Day(day, false, 0, "cannot be read: " + EventLayout.describe(e));
        }
        if (!found.refusal().isEmpty() || dryRun) {
            return new Day(day, found.refusal().isEmpty(), found.files(), found.refusal());
        }
        Path hidden = root.resolve(PRUNING_PREFIX + dir.getFileName() + "-" + ProcessHandle.current().pid());
        try {
            Files.move(dir, hidden, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return new Day(day, false, found.files(), "cannot be moved aside: " + EventLayout.describe(e));
        }
        // A writer may have added a file between the look and the move: look again, and put the day back if so.
        try {
            Inspection again = inspect(hidden, cut);
            if (!again.refusal().isEmpty()) {
                restore(hidden, dir);
                return new Day(day, false, again.files(), again.refusal());
            }
            deleteTree(hidden);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not finish removing {0}: {1}; the next prune finishes it", hidden, EventLayout.describe(e));
        }
        return new Day(day, true, found.files(), "");
    }

    private record Inspection(int files, String refusal) {
    }

    /** Counts the day's event files, or names the first entry that keeps it: anything but a node directory of event files. */
    private static Inspection inspect(Path day, Instant cut) throws IOException {
        int files = 0;
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(day)) {
            for (Path node : nodes) {
                BasicFileAttributes nodeAttributes = Files.readAttributes(node, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!nodeAttributes.isDirectory()) {
                    return new Inspection(files, "holds " + printable(node) + ", which is not a node directory: left alone");
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(node)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        boolean eventFile = EventLayout.isEventFileName(name);
                        boolean tempFile = name.startsWith(EventLayout.TEMP_PREFIX) && name.endsWith(EventLayout.TEMP_SUFFIX);
                        if (!attributes.isRegularFile() || !eventFile && !tempFile) {
                            return new Inspection(files, "holds " + printable(entry) + ", which is not an event file: left alone");
                        }
                        if (attributes.lastModifiedTime().toInstant().isAfter(cut)) {
                            return new Inspection(files, "holds " + printable(entry) + ", modified " + attributes.lastModifiedTime()
                                    + ", after the cut: kept whole");
                        }
                        if (eventFile) {
                            files++;
                        }
                    }
                }
            }
        }
        return new Inspection(files, "");
    }

    private static void restore(Path hidden, Path dir) {
        try {
            Files.move(hidden, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "a file newer than the cut appeared in {0} while it was being pruned, and it cannot be put back "
                    + "({1}): it stays at {2}, which the next prune leaves alone", dir, EventLayout.describe(e), hidden);
        }
    }

    /** A prune cut short leaves a hidden day it had checked: delete what is left of it, unless something new is in it. */
    private static void finishInterrupted(Path root) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PRUNING_PREFIX + "*")) {
            entries.forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            try {
                if (inspect(leftover, Instant.now()).refusal().isEmpty()) {
                    deleteTree(leftover);
                } else {
                    LOG.log(Level.WARNING, "{0} holds something that is not an event file: left alone", leftover);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not finish removing {0}: {1}", leftover, EventLayout.describe(e));
            }
        }
    }

    /** Deepest first; only what {@link #inspect} accepted is in it (node directories of regular files). */
    private static void deleteTree(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : all) {
            try {
                Files.delete(path);
            } catch (NoSuchFileException gone) {
                // removed meanwhile: what we wanted
            }
        }
    }

    private static Optional<LocalDate> dayOf(String name) {
        if (!EventLayout.isDateDirectoryName(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(name));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String printable(Path path) {
        return EventLayout.printable(path.toString());
    }
}
