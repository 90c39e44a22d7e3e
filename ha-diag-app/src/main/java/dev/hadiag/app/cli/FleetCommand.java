package dev.hadiag.app.cli;

import dev.hadiag.app.agent.BuildInfo;
import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.fleet.Fleet;
import dev.hadiag.app.fleet.FleetSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"The whole homelab in one view: reads every agent's status, health and open alerts from the MQTT broker the "
                + "agents relay to, serves GET / (the page), GET /fleet (JSON), /metrics and /health, and writes node_offline / "
                + "node_online into its own events tree; runs until SIGTERM. `run` does the same beside its own work with "
                + "fleet.enabled (docs/fleet.md).",
                "Exit 2: invalid configuration or no broker; 1: the events tree cannot be opened or the port is taken."})
final class FleetCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--mqtt-url", paramLabel = "URL", description = "mqtt://host[:port] or mqtts://host[:port] (default: mqtt.url)")
    String mqttUrl;

    @Option(names = "--mqtt-protocol", paramLabel = "VERSION", description = "auto, 5 or 3.1.1 (default: mqtt.protocol, auto)")
    String mqttProtocol;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "the agents' topic prefix (default: mqtt.topic_prefix, homelab)")
    String prefix;

    @Option(names = "--port", paramLabel = "PORT", description = "the HTTP port (default: http.port, HA_DIAG_PORT, 8087)")
    String port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the HTTP address (default: http.bind, HA_DIAG_BIND, 0.0.0.0)")
    String bind;

    @Option(names = "--events-dir", paramLabel = "DIR", description = "where node_offline / node_online are written (default: events_dir)")
    String eventsDir;

    FleetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, ConfigLoader.OptionValue> options = new LinkedHashMap<>();
        option(options, "mqtt.url", "--mqtt-url", mqttUrl);
        option(options, "mqtt.protocol", "--mqtt-protocol", mqttProtocol);
        option(options, "mqtt.topic_prefix", "--prefix", prefix);
        option(options, "http.port", "--port", port);
        option(options, "http.bind", "--bind", bind);
        option(options, "events_dir", "--events-dir", eventsDir);
        FleetSettings settings;
        try {
            settings = ConfigLoader.fleetSettings(context.env(), config.file, options, HostName::get);
        } catch (ConfigException e) {
            ConfigErrors.print("fleet", e, context);
            return ExitCodes.USAGE;
        }
        Fleet fleet;
        try {
            fleet = Fleet.start(settings, context.clock(), BuildInfo.current().version());
        } catch (RuntimeException e) {
            context.err().println("fleet: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return UntilStopped.await("fleet", fleet, context);
    }

    private static void option(Map<String, ConfigLoader.OptionValue> options, String key, String option, String value) {
        if (value != null) {
            options.put(key, new ConfigLoader.OptionValue(option, value));
        }
    }
}
