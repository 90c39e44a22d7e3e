package dev.hadiag.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ha-diag events}: the Java counterparts of the event system's {@code emit_event} and {@code list_events}. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Write and read homelab event files.",
        subcommands = {EmitEventCommand.class, ListEventsCommand.class, PruneEventsCommand.class})
final class EventsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: emit, list or prune");
    }
}
