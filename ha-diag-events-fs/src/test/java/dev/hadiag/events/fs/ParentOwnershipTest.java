package dev.hadiag.events.fs;

import static dev.hadiag.events.fs.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer running as root creates in a tree another user owns (the agent, 10001:10001): {@code sudo ha-diag
 * check} or {@code events emit}. Runs as root only (as CI does); the agent writing there afterwards as UID 10001 is
 * {@code RootCliBesideTheAgentIT}'s.
 */
class ParentOwnershipTest {

    private static final int AGENT = 10001;

    @TempDir
    Path dir;

    private static void assumeRoot() throws IOException {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root (chown)");
    }

    private Path agentsTree(int mode) throws IOException {
        Path root = Files.createDirectory(dir.resolve("events"));
        Files.setAttribute(root, "unix:uid", AGENT);
        Files.setAttribute(root, "unix:gid", AGENT);
        Files.setAttribute(root, "unix:mode", mode);
        return root;
    }

    @Test
    void as_root_the_day_and_node_directories_and_the_event_file_are_given_the_trees_owner_and_its_mode() throws IOException {
        assumeRoot();
        Path root = agentsTree(02775);
        Path file = FileSystemEventSink.open(root).write(event().node("piha").build());
        List<Path> created = List.of(file.getParent().getParent(), file.getParent(), file);
        for (Path path : created) {
            assertThat(Files.getAttribute(path, "unix:uid")).as(path.toString()).isEqualTo(AGENT);
            assertThat(Files.getAttribute(path, "unix:gid")).as(path.toString()).isEqualTo(AGENT);
        }
        assertThat((Integer) Files.getAttribute(file.getParent().getParent(), "unix:mode") & 07777).isEqualTo(02775);
        assertThat((Integer) Files.getAttribute(file.getParent(), "unix:mode") & 07777).isEqualTo(02775);
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("."))).as("no temp file left").isEmpty();
        }
    }

    @Test
    void a_tree_root_owns_is_left_as_it_is() throws IOException {
        assumeRoot();
        Path root = Files.createDirectory(dir.resolve("events"));
        Path file = FileSystemEventSink.open(root).write(event().build());
        assertThat(Files.getAttribute(file.getParent(), "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(0);
    }

    /** The agent writing its own tree (here root owns it), shared with readers through another group (4242). */
    @Test
    void the_trees_owner_writing_its_own_tree_gives_new_entries_the_trees_group_and_never_fails() throws IOException {
        assumeRoot();
        Path root = Files.createDirectory(dir.resolve("events"));
        Files.setAttribute(root, "unix:gid", 4242);
        Files.setAttribute(root, "unix:mode", 0755);
        Path file = FileSystemEventSink.open(root).write(event().node("piha").build());
        for (Path path : List.of(file.getParent().getParent(), file.getParent(), file)) {
            assertThat(Files.getAttribute(path, "unix:uid")).as(path.toString()).isEqualTo(0);
            assertThat(Files.getAttribute(path, "unix:gid")).as(path.toString()).isEqualTo(4242);
        }
    }

    @Test
    void a_new_file_beside_the_database_gets_the_directorys_owner_and_its_group_write() throws IOException {
        assumeRoot();
        Path data = agentsTree(0770);
        Path database = Files.createFile(data.resolve("ha_diag.db"));
        ParentOwnership.adopt(database);
        assertThat(Files.getAttribute(database, "unix:uid")).isEqualTo(AGENT);
        assertThat(Files.getAttribute(database, "unix:gid")).isEqualTo(AGENT);
        assertThat((Integer) Files.getAttribute(database, "unix:mode") & 0020).as("group may write").isEqualTo(0020);
    }
}
