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

    /** Why a tmpfs cannot be mounted here, or empty when it can: probed once, with a real mount. */
    private static final String CANNOT_MOUNT = probe();

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "mounting a tmpfs needs root; run as root (CI does) to include this fault";
        }
        try {
            Path probe = Files.createTempDirectory("ha-diag-tmpfs-probe");
            try {
                run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.toString());
                run("umount", probe.toString());
                return "";
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            // e.g. root in a container without CAP_SYS_ADMIN
            return "cannot mount a tmpfs here: " + e.getMessage();
        }
    }

    static boolean canMount() {
        return CANNOT_MOUNT.isEmpty();
    }

    /** Skips the calling test, with the reason, when no tmpfs can be mounted here. */
    static void assumeCanMount() {
        Assumptions.assumeTrue(canMount(), CANNOT_MOUNT);
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
