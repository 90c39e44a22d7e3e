package dev.hadiag.app.cli;

import dev.hadiag.app.config.ConfigException;
import dev.hadiag.app.config.ConfigLoader;
import dev.hadiag.app.relay.NotifyTest;
import dev.hadiag.app.relay.RelaySettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-diag notify test}: is every configured destination reachable, and does it take an event? */
@Command(name = "notify", mixinStandardHelpOptions = true, description = "Try the notification destinations.",
        subcommands = {NotifyCommand.Test.class})
final class NotifyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: test");
    }

    @Command(name = "test", mixinStandardHelpOptions = true, description = {
        "Sends one test event (ha_diag_notify_test, info) to every configured destination (MQTT, the webhook or ntfy) and "
                + "prints what each answered. The events tree is not touched.",
        "Exit 0: every destination took it; 1: one or more failed; 2: invalid configuration or no destination."})
    static final class Test implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ConfigFileOption config = new ConfigFileOption();

        @Option(names = "--mqtt-url", paramLabel = "URL", description = "mqtt://host[:port] or mqtts://host[:port] (default: mqtt.url)")
        String mqttUrl;

        @Option(names = "--webhook-url", paramLabel = "URL", description = "the webhook (default: notify.webhook.url)")
        String webhookUrl;

        @Option(names = "--webhook-format", paramLabel = "json|ntfy", description = "the webhook's format (default: notify.webhook.format)")
        String webhookFormat;

        Test(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, ConfigLoader.OptionValue> options = new LinkedHashMap<>();
            put(options, "mqtt.url", "--mqtt-url", mqttUrl);
            put(options, "notify.webhook.url", "--webhook-url", webhookUrl);
            put(options, "notify.webhook.format", "--webhook-format", webhookFormat);
            RelaySettings settings;
            try {
                settings = ConfigLoader.relaySettings(context.env(), config.file, options, HostName::get);
            } catch (ConfigException e) {
                ConfigErrors.print("notify test", e, context);
                return ExitCodes.USAGE;
            }
            List<NotifyTest.Answer> answers = NotifyTest.send(settings, context.clock().instant());
            PrintWriter out = context.out();
            for (NotifyTest.Answer answer : answers) {
                out.println((answer.ok() ? "ok     " : "FAILED ") + answer.destination() + ": " + answer.answer());
            }
            long failed = answers.stream().filter(answer -> !answer.ok()).count();
            out.println("notify test: " + (answers.size() - failed) + " of " + answers.size() + " destination" + (answers.size() == 1 ? "" : "s")
                    + " took the test event");
            out.flush();
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private static void put(Map<String, ConfigLoader.OptionValue> options, String key, String option, String value) {
            if (value != null) {
                options.put(key, new ConfigLoader.OptionValue(option, value));
            }
        }
    }
}
