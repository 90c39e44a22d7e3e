package dev.hadiag.events.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads an event file's bytes the one safe way, for every reader of the tree (the event log, the relay): only a
 * regular file is opened (a FIFO or a device would block or never end), only up to a bound (even if it grows
 * while being read), and a file that cannot be read is a reason to skip it, never an exception.
 */
public final class EventFileBytes {

    private EventFileBytes() {
    }

    /**
     * @param maxBytes the largest file read
     * @param skipped  told why, when the file is skipped: {@code not a regular file}, {@code 2000000 bytes is too
     *                 large for an event file}, an I/O failure
     * @param links    {@link LinkOption#NOFOLLOW_LINKS} to refuse symbolic links, nothing to follow them
     * @return the bytes, or empty when the file is skipped
     */
    public static Optional<byte[]> read(Path file, long maxBytes, Consumer<String> skipped, LinkOption... links) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, links);
            if (!attributes.isRegularFile()) {
                skipped.accept("not a regular file");
                return Optional.empty();
            }
            if (attributes.size() > maxBytes) {
                skipped.accept(attributes.size() + " bytes is too large for an event file");
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file, links)) {
                bytes = in.readNBytes((int) maxBytes + 1);
            }
            if (bytes.length > maxBytes) {
                skipped.accept("it grew beyond " + maxBytes + " bytes while being read");
                return Optional.empty();
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            skipped.accept(EventLayout.describe(e));
            return Optional.empty();
        }
    }
}
