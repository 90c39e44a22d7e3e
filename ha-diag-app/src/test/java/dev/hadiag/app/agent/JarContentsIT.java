package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the packaged jar holds (issue 25, the jar's diet): SQLite's native library for the platforms users run and no
 * other, none of the libraries the agent does not use, and a size that says so. A new version of a library that brings
 * something back fails here, not in a user's download.
 */
class JarContentsIT {

    /** Linux on a PC or server, on a 64-bit ARM board, and on a Raspberry Pi's 32-bit OS. */
    private static final List<String> NATIVE_PLATFORMS = List.of("Linux/aarch64", "Linux/armv7", "Linux/x86_64");
    /** The jar was 36.6 MB before; 22 MB is the bound. */
    private static final long MAX_BYTES = 22_000_000;

    private static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(AgentProcess.JAR.toFile())) {
            return Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void sqlite_brings_its_native_library_for_linux_on_x86_64_aarch64_and_armv7_only() throws IOException {
        TreeSet<String> platforms = new TreeSet<>();
        for (String entry : entries()) {
            if (entry.startsWith("org/sqlite/native/") && !entry.endsWith("/")) {
                String[] parts = entry.split("/");
                platforms.add(parts[3] + "/" + parts[4]);
            }
        }
        assertThat(platforms).containsExactlyElementsOf(NATIVE_PLATFORMS);
    }

    @Test
    void the_jar_holds_no_websocket_server_no_metrics_library_no_jaxb_and_no_maven_metadata() throws IOException {
        assertThat(entries()).noneMatch(entry -> entry.startsWith("org/eclipse/jetty/websocket/")
                || entry.startsWith("org/eclipse/jetty/ee10/websocket/")
                || entry.startsWith("io/prometheus/")
                || entry.startsWith("io/micrometer/")
                || entry.startsWith("jakarta/xml/bind/")
                || entry.startsWith("org/objectweb/asm/")
                || entry.startsWith("META-INF/maven/"));
    }

    @Test
    void the_jar_is_under_22_mb() throws IOException {
        assertThat(Files.size(AgentProcess.JAR)).isLessThan(MAX_BYTES);
    }
}
