package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigProblem;

/** Prints configuration problems the same way for every command: one line each, key and source first. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static void print(String command, ConfigException e, CliContext context) {
        context.err().println(command + ": the configuration has " + e.problems().size() + " problem"
                + (e.problems().size() == 1 ? "" : "s") + ":");
        for (ConfigProblem problem : e.problems()) {
            context.err().println("  " + problem);
        }
    }
}
