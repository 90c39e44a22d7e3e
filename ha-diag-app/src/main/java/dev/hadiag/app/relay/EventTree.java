package dev.hadiag.app.relay;

import dev.hadiag.events.fs.EventFileBytes;
import dev.hadiag.events.fs.EventLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events tree as the relay needs it: the day directories, the event files of one day in order, and a
 * file's bytes. Whatever else lies in the tree (temp files, FIFOs, symlinks, directories named like files, names
 * that are not valid in this locale) is skipped, never opened: a FIFO would block a read forever.
 */
final class EventTree {

    private static final Logger LOG = LoggerFactory.getLogger(EventTree.class);
    /** The same cap the event log reader uses: an event file is a few KB. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private final Path root;

    EventTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The day directories, oldest first. */
    List<String> days() {
        List<String> days = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return days;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = nameOf(entry);
                if (name != null && EventLayout.isDateDirectoryName(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    days.add(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot list the events directory {}: {}", root, e.toString());
        }
        days.sort(null);
        return days;
    }

    /** The event files of one day, all nodes, in {@link EventFile#ORDER}. */
    List<EventFile> files(String day) {
        List<EventFile> files = new ArrayList<>();
        Path dayDirectory = root.resolve(day);
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(dayDirectory)) {
            for (Path node : nodes) {
                String nodeName = nameOf(node);
                if (nodeName != null && !nodeName.startsWith(".") && Files.isDirectory(node, LinkOption.NOFOLLOW_LINKS)) {
                    addFiles(day, nodeName, node, files);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot list {}: {}", dayDirectory, e.toString());
        }
        files.sort(EventFile.ORDER);
        return files;
    }

    private static void addFiles(String day, String node, Path directory, List<EventFile> files) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = nameOf(entry);
                if (name != null && EventLayout.isEventFileName(name)) {
                    files.add(new EventFile(day, node, name, entry));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot list {}: {}", directory, e.toString());
        }
    }

    /**
     * The file's bytes, or empty when it is not a regular file of at most {@link #MAX_FILE_BYTES} (checked without
     * following links and before opening it).
     */
    Optional<byte[]> read(EventFile file) {
        return EventFileBytes.read(file.path(), MAX_FILE_BYTES, reason -> LOG.warn("skipping {}: {}", file.relativePath(), reason),
                LinkOption.NOFOLLOW_LINKS);
    }

    /** The entry's name, or null when this JVM's locale cannot represent it (it cannot be a file we wrote). */
    private static String nameOf(Path entry) {
        try {
            Path name = entry.getFileName();
            String text = name == null ? null : name.toString();
            if (text != null && text.indexOf('\uFFFD') >= 0) {
                LOG.warn("skipping an entry of {} whose name is not valid in this locale", entry.getParent());
                return null;
            }
            return text;
        } catch (InvalidPathException e) {
            LOG.warn("skipping an entry whose name is not valid in this locale: {}", e.getMessage());
            return null;
        }
    }
}
