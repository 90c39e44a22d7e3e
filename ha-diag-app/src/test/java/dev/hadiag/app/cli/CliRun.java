package dev.hadiag.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One in-process run of the CLI with a given environment and clock, capturing both output streams. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> env, Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HaDiagCommand.execute(args,
                new CliContext(env, Clock.fixed(now, ZoneOffset.UTC), new PrintWriter(out, true), new PrintWriter(err, true)));
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return lines(out);
    }

    List<String> errLines() {
        return lines(err);
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
