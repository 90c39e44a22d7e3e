package dev.hadiag.app.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.store.CheckStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExampleTest {

    @TempDir
    Path dir;

    @Test
    void the_documented_example_is_this_compiling_source() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/hadiag/app/embedding/EmbeddingExample.java"));
        String example = source.substring(source.indexOf("// --- example start ---\n") + 25, source.indexOf("// --- example end ---"));
        assertThat(Files.readString(Path.of("..", "docs", "embedding.md"))).contains(example.strip());
    }

    @Test
    void the_example_runs_and_reports_an_unreachable_HA_as_an_error() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<CheckReport> reports = EmbeddingExample.lookOnce("http://127.0.0.1:" + closedPort, new AccessToken("t"),
                dir.resolve("events"), dir.resolve("state.db"));
        assertThat(reports).extracting(CheckReport::check).containsExactly("heartbeat", "updates_available");
        assertThat(reports.get(0).status()).isEqualTo(CheckStatus.ERROR);
        assertThat(reports.get(1).status()).isEqualTo(CheckStatus.SKIPPED);
    }
}
