package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.relay.Relay;
import dev.hadiag.app.relay.RelayException;
import dev.hadiag.app.relay.RelayHealth;
import dev.hadiag.app.relay.RelaySettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Sends every event file of the events tree (the agent's and any other tool's) to an MQTT broker and/or "
                + "a webhook, in order, from a durable cursor; runs until SIGTERM. `run` does the same when mqtt.url or "
                + "notify.webhook.url is set.",
                "Exit 2: invalid configuration or nothing to relay to; 1: the relay state cannot be opened, or with --once a "
                        + "destination is down."})
final class RelayCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ConfigFileOption config = new ConfigFileOption();

    @Option(names = "--events-dir", paramLabel = "DIR", description = "root of the event files (default: events_dir)")
    String eventsDir;

    @Option(names = "--mqtt-url", paramLabel = "URL", description = "mqtt://host[:port] or mqtts://host[:port] (default: mqtt.url)")
    String mqttUrl;

    @Option(names = "--mqtt-protocol", paramLabel = "VERSION", description = "auto, 5 or 3.1.1 (default: mqtt.protocol, auto)")
    String mqttProtocol;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "push alert events to this URL (default: notify.webhook.url)")
    String webhookUrl;

    @Option(names = "--webhook-format", paramLabel = "json|ntfy", description = "the webhook's format (default: json)")
    String webhookFormat;

    @Option(names = "--state", paramLabel = "FILE", description = "the relay's cursor, an SQLite file (default: relay.state_db, "
            + "else ha_diag_relay.db beside db_path)")
    String state;

    @Option(names = "--once", description = "send the backlog and exit instead of following the tree")
    boolean once;

    RelayCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, ConfigLoader.OptionValue> options = new LinkedHashMap<>();
        option(options, "events_dir", "--events-dir", eventsDir);
        option(options, "mqtt.url", "--mqtt-url", mqttUrl);
        option(options, "mqtt.protocol", "--mqtt-protocol", mqttProtocol);
        option(options, "notify.webhook.url", "--webhook-url", webhookUrl);
        option(options, "notify.webhook.format", "--webhook-format", webhookFormat);
        option(options, "relay.state_db", "--state", state);
        RelaySettings settings;
        try {
            settings = ConfigLoader.relaySettings(context.env(), config.file, options, HostName::get);
        } catch (ConfigException e) {
            ConfigErrors.print("relay", e, context);
            return ExitCodes.USAGE;
        }
        if (once) {
            try {
                int delivered = Relay.drain(settings, context.clock(), RelayCommand::bareRelay);
                context.out().println("relay: delivered " + delivered + " event" + (delivered == 1 ? "" : "s"));
                return ExitCodes.OK;
            } catch (RelayException e) {
                context.err().println("relay: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
        Relay relay;
        try {
            relay = Relay.start(settings, context.clock(), RelayCommand::bareRelay);
        } catch (RelayException e) {
            context.err().println("relay: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return UntilStopped.await("relay", relay, context);
    }

    /** A relay on its own knows no HA and no alerts: its health topic says its version and that it runs. */
    private static RelayHealth bareRelay() {
        return RelayHealth.bareRelay(dev.hadiag.app.agent.BuildInfo.current().version());
    }

    private static void option(Map<String, ConfigLoader.OptionValue> options, String key, String option, String value) {
        if (value != null) {
            options.put(key, new ConfigLoader.OptionValue(option, value));
        }
    }
}
