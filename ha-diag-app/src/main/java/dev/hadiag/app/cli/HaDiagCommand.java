package dev.hadiag.app.cli;

import dev.hadiag.core.event.InvalidEventException;
import dev.hadiag.core.port.EventLogException;
import dev.hadiag.core.silence.InvalidSilenceException;
import dev.hadiag.core.port.EventSinkException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code ha-diag} command and its subcommands. */
@Command(
        name = "ha-diag",
        mixinStandardHelpOptions = true,
        versionProvider = HaDiagCommand.Version.class,
        description = "Home Assistant diagnostic agent: watches Home Assistant and writes what it finds as event files.")
final class HaDiagCommand implements Runnable {

    /** The subcommands, in the order {@code --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, CheckCommand.class, ConfigCommand.class, EventsCommand.class,
            RelayCommand.class, FleetCommand.class, SilenceCommand.class, AlertsCommand.class, NotifyCommand.class, CompletionCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs the command line and returns the exit code; never throws for bad input. */
    static int execute(String[] args, CliContext context) {
        CommandLine commandLine = new CommandLine(new HaDiagCommand(), new ContextFactory(context));
        // Issue 29: picocli builds each subcommand's model (and its subcommands') by reflection when it is added, some
        // 0.1 s of CPU for the whole tree. A monitoring system runs `check` every minute: that run builds only check's.
        // Added before the handlers below, which picocli applies to the subcommands present when they are set.
        for (Class<?> subcommand : args.length > 0 && "check".equals(args[0]) ? List.<Class<?>>of(CheckCommand.class) : SUBCOMMANDS) {
            commandLine.addSubcommand(subcommand);
        }
        commandLine.setOut(context.out());
        commandLine.setErr(context.err());
        // Last one wins, as in most Unix tools: lets wrappers append an override to a fixed command line.
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setParameterExceptionHandler((e, ignoredArgs) -> {
            if (isCheck(e.getCommandLine())) {
                // A monitoring system reads stdout's first line and the exit code: a usage error is UNKNOWN, not CRITICAL.
                context.out().println(PluginOutput.unknown("usage: " + e.getMessage()));
                context.err().println("check: " + e.getMessage() + " (see 'ha-diag check --help')");
                return PluginOutput.UNKNOWN;
            }
            context.err().println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, ignoredResult) -> {
            String name = cl.getCommandSpec().qualifiedName();
            if (e instanceof dev.hadiag.app.config.ConfigException config) {
                ConfigErrors.print(name, config, context);
                return ExitCodes.USAGE;
            }
            if (e instanceof UsageException || e instanceof InvalidEventException || e instanceof InvalidSilenceException
                    || e instanceof EventSinkException || e instanceof EventLogException) {
                context.err().println(name + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            context.err().println(name + ": failed: " + e);
            e.printStackTrace(context.err());
            if (isCheck(cl)) {
                context.out().println(PluginOutput.unknown("failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                return PluginOutput.UNKNOWN;
            }
            return ExitCodes.FAILURE;
        });
        return commandLine.execute(args);
    }

    private static boolean isCheck(CommandLine commandLine) {
        return commandLine.getCommand() instanceof CheckCommand;
    }

    /** Gives every command the process context through its constructor. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.cast(type.getDeclaredConstructor(CliContext.class).newInstance(context));
            } catch (NoSuchMethodException noContext) {
                return fallback.create(type);
            }
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            dev.hadiag.app.agent.BuildInfo build = dev.hadiag.app.agent.BuildInfo.current();
            return new String[] {"ha-diag " + build.version(), "commit " + build.commit() + ", built " + build.built(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
