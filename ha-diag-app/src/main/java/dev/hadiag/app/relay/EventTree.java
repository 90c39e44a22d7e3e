package dev.hadiag.app.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the events tree as the relay needs it: the day directories, the event files of one day in order, and a
 * file's bytes. Whatever else lies in the tree (temp files, FIFOs, symlinks, directories named like files, names
 * that are not valid in this locale) is skipped, never opened: a FIFO would block a read forever.
 */
final class EventTree {

    private static final Logger LOG = LoggerFactory.getLogger(EventTree.class);
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
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
                if (name != null && DAY.matcher(name).matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
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
                if (name != null && name.endsWith(".json") && !name.startsWith(".")) {
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
    java.util.Optional<byte[]> read(EventFile file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                LOG.warn("skipping {}: not a regular file", file.relativePath());
                return java.util.Optional.empty();
            }
            if (attributes.size() > MAX_FILE_BYTES) {
                LOG.warn("skipping {}: {} bytes is too large for an event file", file.relativePath(), attributes.size());
                return java.util.Optional.empty();
            }
            try (InputStream in = Files.newInputStream(file.path(), LinkOption.NOFOLLOW_LINKS)) {
                return java.util.Optional.of(in.readNBytes((int) MAX_FILE_BYTES + 1));
            }
        } catch (IOException e) {
            LOG.warn("skipping {}: {}", file.relativePath(), e.toString());
            return java.util.Optional.empty();
        }
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
