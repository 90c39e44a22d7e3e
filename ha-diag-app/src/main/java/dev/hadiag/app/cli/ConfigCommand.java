package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-diag config}: the configuration, looked at before anything runs. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Look at the configuration without running the agent.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validates the configuration as `run` reads it (environment over file over defaults) without "
                    + "contacting Home Assistant or starting anything, and prints every setting's effective value with where it "
                    + "came from: env NAME, file:line, or default. Tokens and passwords show only whether they are set.",
                    "Exit 0: valid; 2: invalid (every problem is listed, as `run` lists them)."})
    static final class Check implements Callable<Integer> {

        private final CliContext context;

        @Mixin
        ConfigFileOption config = new ConfigFileOption();

        @Option(names = "--set-only", description = "only the settings that are not at their default")
        boolean setOnly;

        Check(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ConfigLoader.ConfigCheck check = ConfigLoader.check(context.env(), config.file, HostName::get);
            context.out().println("config file: " + check.file());
            List<ConfigLoader.Setting> shown = check.settings().stream()
                    .filter(setting -> !setOnly || !setting.origin().startsWith("default")).toList();
            int keyWidth = shown.stream().mapToInt(s -> s.key().length()).max().orElse(3);
            int valueWidth = Math.min(60, shown.stream().mapToInt(s -> s.value().length()).max().orElse(5));
            context.out().println(pad("KEY", keyWidth) + "  " + pad("VALUE", valueWidth) + "  FROM");
            for (ConfigLoader.Setting setting : shown) {
                context.out().println(pad(setting.key(), keyWidth) + "  " + pad(setting.value(), valueWidth) + "  " + setting.origin());
            }
            long fromEnv = check.settings().stream().filter(s -> s.origin().startsWith("env ")).count();
            long fromFile = check.settings().stream().filter(s -> !s.origin().startsWith("env ") && !s.origin().startsWith("default")).count();
            if (!check.problems().isEmpty()) {
                ConfigErrors.print("config check", new ConfigException(check.problems()), context);
                return ExitCodes.USAGE;
            }
            context.out().println("config check: valid: " + check.settings().size() + " settings, " + fromEnv + " from the environment, "
                    + fromFile + " from the file, the rest defaults; Home Assistant was not contacted");
            return ExitCodes.OK;
        }

        private static String pad(String text, int width) {
            return text.length() >= width ? text : text + " ".repeat(width - text.length());
        }
    }
}
