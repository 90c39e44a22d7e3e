package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/prometheus/alerts.yml is valid Prometheus and its own unit tests (alerts_test.yml) pass, by promtool. */
class PrometheusRulesTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path RULES = Path.of("..", "deploy", "prometheus");

    @BeforeAll
    static void promtoolIsThere() {
        if (!Files.isExecutable(PROMTOOL)) {
            String why = "promtool is not installed (apt-get install prometheus; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = PROMTOOL.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void the_alert_rules_are_valid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 7 rules found");
    }

    @Test
    void the_alert_rules_fire_when_and_only_when_their_unit_tests_say() throws Exception {
        assertThat(promtool("test", "rules", "alerts_test.yml")).contains("SUCCESS");
    }
}
