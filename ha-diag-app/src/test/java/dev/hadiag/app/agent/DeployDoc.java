package dev.hadiag.app.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's documents as tests read them: the fenced sh blocks of deploy/DEPLOY.md and docs/operations.md
 * that tests run (each marked by a {@code <!-- tested: NAME -->} comment), and the compose file's stop grace period.
 */
final class DeployDoc {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DEPLOY_MD = REPO.resolve("deploy/DEPLOY.md");
    private static final Path OPERATIONS_MD = REPO.resolve("docs/operations.md");
    private static final Path EVENTS_MD = REPO.resolve("docs/events.md");
    private static final Path COMPOSE = REPO.resolve("deploy/docker-compose.yml");

    private DeployDoc() {
    }

    static String block(String marker) throws IOException {
        return block(DEPLOY_MD, marker);
    }

    /** A fenced block of DEPLOY.md in another language ({@code yaml}, {@code ini}), marked as the sh ones are: as written. */
    static String fenced(String marker, String language) throws IOException {
        String text = Files.readString(DEPLOY_MD, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- tested: " + Pattern.quote(marker) + " -->\\s*```" + Pattern.quote(language) + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("DEPLOY.md has no " + language + " block marked <!-- tested: " + marker + " -->");
        }
        return m.group(1);
    }

    /** A block of docs/operations.md. */
    static String operationsBlock(String marker) throws IOException {
        return block(OPERATIONS_MD, marker);
    }

    /** A block of docs/events.md. */
    static String eventsBlock(String marker) throws IOException {
        return block(EVENTS_MD, marker);
    }

    private static String block(Path document, String marker) throws IOException {
        String text = Files.readString(document, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- tested: " + Pattern.quote(marker) + " -->\\s*```sh\\n(.*?)```", Pattern.DOTALL).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(document.getFileName() + " has no sh block marked <!-- tested: " + marker + " -->");
        }
        return m.group(1).replace("\\\n", " ");
    }

    /** A block as root runs it: {@code sudo} dropped, the interactive {@code sudoedit} line left to the test. */
    static String asRoot(String marker) throws IOException {
        return block(marker).lines().filter(line -> !line.startsWith("sudoedit"))
                .map(line -> line.replaceAll("(^|&& )sudo ", "$1")).reduce("", (a, b) -> a + b + "\n");
    }

    /**
     * DEPLOY.md's host paths in {@code commands} (after a blank or a quote), moved under {@code root}; paths inside a
     * container (after ':') stay.
     */
    static String underRoot(String commands, Path root) {
        return commands.replaceAll("(?<=[\\s\"])/(opt/homelab|opt/ha-diag|var/lib/ha-diag-agent)", Matcher.quoteReplacement(root.toString()) + "/$1");
    }

    static Duration composeStopGracePeriod() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*stop_grace_period:\\s*(\\d+)s\\s*$").matcher(Files.readString(COMPOSE, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException("deploy/docker-compose.yml has no stop_grace_period in seconds");
        }
        return Duration.ofSeconds(Long.parseLong(m.group(1)));
    }
}
