package dev.hadiag.app.cli;

import dev.hadiag.app.agent.Agent;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.logging.Logging;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the agent: the checks on their schedule, the live WebSocket monitor and the HTTP API.",
                "Stops cleanly on SIGTERM/SIGINT (running checks finish, nothing is left half-written) and exits 0.",
                "Exit 2: the configuration is invalid (every problem is listed); 1: the agent could not start."})
final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--log-format", paramLabel = "json|console",
            description = "log lines as JSON objects (default) or for humans; also $HA_DIAG_LOG_FORMAT or log_format")
    String logFormat;

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        AgentConfig loaded;
        try {
            java.util.Map<String, String> env = new java.util.HashMap<>(context.env());
            if (logFormat != null) {
                env.put("HA_DIAG_LOG_FORMAT", logFormat);
            }
            loaded = ConfigLoader.load(env, config.file, HostName::get);
        } catch (ConfigException e) {
            ConfigErrors.print("run", e, context);
            return onConfigError();
        }
        Logging.configure(loaded.logging(), context.err());
        Agent agent;
        try {
            agent = Agent.start(loaded, context.clock());
        } catch (RuntimeException e) {
            // The database, the event directory, the scheduler, or the port (Jetty wraps "in use" in a runtime exception).
            context.err().println("run: cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return ExitCodes.FAILURE;
        }
        return UntilStopped.await("run", agent, context);
    }

    /**
     * A container's restart policy cannot spare one exit code (systemd's RestartPreventExitStatus=2 can), so the image
     * sets {@code HA_DIAG_ON_CONFIG_ERROR=wait}: the problems are printed once and the process waits for its stop
     * instead of being restarted into the same error forever; the container shows as unhealthy (no /health).
     */
    private int onConfigError() {
        String mode = context.envValue(ON_CONFIG_ERROR).orElse("exit");
        if (!mode.equals("wait")) {
            if (!mode.equals("exit")) {
                context.err().println("run: " + ON_CONFIG_ERROR + "='" + mode + "' is not exit or wait; exiting");
            }
            return ExitCodes.USAGE;
        }
        context.err().println("run: not starting; waiting to be stopped instead of exiting (" + ON_CONFIG_ERROR
                + "=wait), so that a restart policy does not start it into the same error again and again. Fix the "
                + "configuration, then restart it (docker compose up -d, or docker restart ha-diag-agent).");
        return UntilStopped.idle("run", ExitCodes.USAGE, context);
    }

    static final String ON_CONFIG_ERROR = "HA_DIAG_ON_CONFIG_ERROR";
}
