package dev.hadiag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Token file variants, as operators and secret stores write them. One trailing newline is the only thing
 * forgiven; everything else is refused with a message naming HA_TOKEN_FILE and never showing the content.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenFileFaultTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ0ZXN0In0.c2VjcmV0LXNpZ25hdHVyZQ";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("HA_URL", "http://127.0.0.1:8123"));

    private AgentConfig load(Path tokenFile) {
        env.put("HA_TOKEN_FILE", tokenFile.toString());
        return ConfigLoader.load(env, null, () -> "testhost");
    }

    private String refusal(Path tokenFile) {
        env.put("HA_TOKEN_FILE", tokenFile.toString());
        try {
            ConfigLoader.load(env, null, () -> "testhost");
        } catch (ConfigException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.key()).isEqualTo("ha_token_file"));
            String message = e.getMessage();
            assertThat(message).contains("HA_TOKEN_FILE").doesNotContain(TOKEN).doesNotContain("second-line").doesNotContain("c2VjcmV0");
            return message;
        }
        throw new AssertionError("expected the token file to be refused");
    }

    private Path file(byte[] content) throws IOException {
        return Files.write(dir.resolve("token"), content);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bare token | TOKEN",
        "one LF | TOKEN\\n",
        "one CRLF | TOKEN\\r\\n",
    })
    void a_token_alone_with_at_most_one_trailing_newline_is_accepted(String variant, String content) throws IOException {
        assertThat(load(file(unescape(content))).haToken().value()).isEqualTo(TOKEN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "second line | TOKEN\\nsecond-line\\n | 2 lines",
        "two trailing newlines | TOKEN\\n\\n | 2 lines",
        "a lone CR inside | TOKEN\\rsecond-line | 2 lines",
        "leading space | \\sTOKEN\\n | characters a token cannot have",
        "trailing space | TOKEN\\s\\n | characters a token cannot have",
        "a tab | TOKEN\\t | characters a token cannot have",
        "a NUL | TOKEN\\0 | characters a token cannot have",
        "UTF-8 BOM | \\uFEFFTOKEN\\n | characters a token cannot have",
        "Bearer prefix | Bearer\\sTOKEN\\n | characters a token cannot have",
        "empty | '' | is empty",
        "only a newline | \\n | is empty",
    })
    void anything_else_in_the_file_is_refused_naming_the_setting_and_not_the_token(String variant, String content, String expected)
            throws IOException {
        assertThat(refusal(file(unescape(content)))).contains(expected);
    }

    @Test
    void bytes_that_are_not_text_are_refused() throws IOException {
        assertThat(refusal(file(new byte[] {'a', (byte) 0xff, (byte) 0xfe, 'b', '\n'}))).contains("characters a token cannot have");
    }

    @Test
    void a_huge_file_is_refused_without_reading_it_all() throws IOException {
        Path huge = dir.resolve("huge");
        try (var channel = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), 4L * 1024 * 1024 * 1024);
        }
        assertThat(refusal(huge)).contains("larger than 64 KiB");
    }

    @Test
    void a_fifo_a_directory_a_missing_file_and_a_link_loop_are_refused_without_blocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(refusal(fifo)).contains("is not a regular file");
        assertThat(refusal(dir)).contains("is not a regular file");
        assertThat(refusal(dir.resolve("missing"))).contains("does not exist");
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertThat(refusal(loop)).contains("is not a regular file");
    }

    @Test
    void a_link_to_a_token_file_is_followed_as_kubernetes_mounts_secrets() throws IOException {
        Path real = file((TOKEN + "\n").getBytes(StandardCharsets.US_ASCII));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThat(load(link).haToken().value()).isEqualTo(TOKEN);
    }

    @Test
    void ha_token_in_the_environment_follows_the_same_rule_after_trimming() {
        env.put("HA_TOKEN", " " + TOKEN + "\n");
        assertThat(ConfigLoader.load(env, null, () -> "h").haToken().value()).isEqualTo(TOKEN);
        env.put("HA_TOKEN", TOKEN + "\nsecond-line");
        assertThatThrownBy(() -> ConfigLoader.load(env, null, () -> "h")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HA_TOKEN has 2 lines").hasMessageNotContaining(TOKEN);
    }

    private static byte[] unescape(String content) {
        String text = content.replace("TOKEN", TOKEN).replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
                .replace("\\s", " ").replace("\\0", "\0").replace("\\uFEFF", "\uFEFF");
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
