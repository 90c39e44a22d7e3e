package dev.hadiag.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeLibraryTest {

    @TempDir
    Path dir;

    @Test
    void the_library_of_this_machine_is_written_whole_under_the_name_the_driver_loads() throws Exception {
        Path written = SqliteNativeLibrary.extractTo(dir.resolve("native"));

        assertThat(written).isEqualTo(dir.resolve("native").resolve(SqliteNativeLibrary.FILE_NAME));
        byte[] bytes = Files.readAllBytes(written);
        assertThat(bytes).hasSizeGreaterThan(100_000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
        assertThat(dir.resolve("native")).isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void writing_it_again_replaces_it() throws Exception {
        Path first = SqliteNativeLibrary.extractTo(dir);
        Files.write(first, new byte[] {1, 2, 3});

        assertThat(Files.size(SqliteNativeLibrary.extractTo(dir))).isGreaterThan(100_000);
    }
}
