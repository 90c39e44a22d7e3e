package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks an exposition against the text format 0.0.4, strictly: the grammar of each line, every family declared
 * once with its HELP and TYPE before its samples, each sample of the family last declared; and, where promtool
 * is installed (CI installs it), Prometheus's own parser.
 */
final class PrometheusTextFormat {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String VALUE = "(?:NaN|[+-]Inf|[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*)?})? " + VALUE + "(?: -?\\d+)?");

    private PrometheusTextFormat() {
    }

    static void assertValid(String exposition) {
        assertThat(exposition).endsWith("\n");
        Set<String> declared = new HashSet<>();
        String family = null;
        String type = null;
        String helped = null;
        List<String> lines = exposition.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = "line " + (i + 1) + ": " + line;
            Matcher help = HELP.matcher(line);
            Matcher declaration = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                assertThat(declared.add(help.group(1))).as("declared once: " + where).isTrue();
                helped = help.group(1);
            } else if (declaration.matches()) {
                assertThat(declaration.group(1)).as("TYPE after its HELP: " + where).isEqualTo(helped);
                family = declaration.group(1);
                type = declaration.group(2);
            } else if (sample.matches()) {
                String name = sample.group(1);
                boolean ofFamily = name.equals(family)
                        || ("summary".equals(type) || "histogram".equals(type)) && (name.equals(family + "_count") || name.equals(family + "_sum"))
                        || "histogram".equals(type) && name.equals(family + "_bucket");
                assertThat(ofFamily).as("a sample of the family declared last (" + family + "): " + where).isTrue();
            } else {
                throw new AssertionError("not text format 0.0.4: " + where);
            }
        }
    }

    /** promtool's verdict: its parser must accept it; lint remarks (exit 3) are about names, not the format. */
    static void assertPromtoolParses(String exposition) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            String why = "promtool is not installed (apt-get install prometheus; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isIn(0, 3);
        assertThat(output).doesNotContain("error");
    }
}
