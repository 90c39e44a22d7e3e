package dev.hadiag.app.cli;

import dev.hadiag.app.agent.Agent;
import dev.hadiag.app.config.AgentConfig;
import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.logging.Logging;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the agent: the checks on their schedule, the live WebSocket monitor and the HTTP API.",
                "Stops cleanly on SIGTERM/SIGINT (running checks finish, nothing is left half-written) and exits 0.",
                "Exit 2: the configuration is invalid (every problem is listed); 1: the agent could not start."})
final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: $HA_DIAG_CONFIG, else "
            + "/opt/homelab/config/ha-diag-agent/ha-diag-agent.yaml if it exists)")
    String config;

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
            loaded = ConfigLoader.load(env, config, HostName::get);
        } catch (ConfigException e) {
            ConfigErrors.print("run", e, context);
            return ExitCodes.USAGE;
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
}
