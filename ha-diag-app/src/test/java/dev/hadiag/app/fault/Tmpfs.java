package dev.hadiag.app.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted on a test directory: a disk that fills up, or turns read-only, on demand.
 * Mounting needs root (CI runs as root); elsewhere the tests that need one are skipped with the reason.
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static boolean canMount() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips the calling test, with the reason, when this user cannot mount. */
    static void assumeCanMount() {
        Assumptions.assumeTrue(canMount(), "mounting a tmpfs needs root; run as root (CI does) to include this fault");
    }

    static Tmpfs mount(Path mountPoint, String size) throws IOException {
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", mountPoint.toString());
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** {@code mount -o remount,<options>}: e.g. {@code ro}, {@code rw}, {@code size=16m}. */
    void remount(String options) throws IOException {
        run("mount", "-o", "remount," + options, mountPoint.toString());
    }

    @Override
    public void close() throws IOException {
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", line) + ": no answer within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", line) + " failed: "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }
}
