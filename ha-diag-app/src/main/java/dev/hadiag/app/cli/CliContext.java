package dev.hadiag.app.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What a command needs from its process: environment, clock and output streams (injected for tests). */
public record CliContext(Map<String, String> env, Clock clock, PrintWriter out, PrintWriter err) {

    public CliContext {
        env = Map.copyOf(env);
    }

    /** An environment variable, treating an empty value as unset, as shells and compose files produce them. */
    public Optional<String> envValue(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
