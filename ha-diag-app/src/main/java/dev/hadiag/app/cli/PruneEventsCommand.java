package dev.hadiag.app.cli;

import dev.hadiag.app.config.Durations;
import dev.hadiag.events.fs.EventTreePruner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-diag events prune}: removes whole days of the events tree older than a cut, and nothing else. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = {
            "Removes the day directories (YYYY-MM-DD) of the events tree that ended more than --older-than ago, whole: a day",
            "is kept, and said why, when it holds anything but event files in node directories (another tool's files) or a",
            "file modified after the cut. Other entries of the tree are never touched. Every node's days, not only this one's.",
            "Exit 0 (kept days included), 1 the tree cannot be read, 2 bad input or no tree at that path."
        })
final class PruneEventsCommand implements Callable<Integer> {

    private static final Duration MINIMUM = Duration.ofDays(1);

    private final CliContext context;

    @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "e.g. 90d: days that ended before now minus this go")
    String olderThan;

    @Option(names = "--dry-run", description = "say what would be removed, remove nothing")
    boolean dryRun;

    @Mixin
    EventTreeOptions tree = new EventTreeOptions();

    PruneEventsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration age = Durations.parse(olderThan).orElseThrow(() ->
                new UsageException("--older-than: '" + olderThan + "' is not a duration (90d, 2160h, or seconds)"));
        if (age.compareTo(MINIMUM) < 0) {
            throw new UsageException("--older-than: " + olderThan + " is less than a day; the youngest days are never pruned");
        }
        Path root = tree.settings(context).eventsDirectory(tree.eventsDir);
        if (!Files.isDirectory(root)) {
            throw new UsageException("events directory " + root + " does not exist");
        }
        Instant cut = context.clock().instant().minus(age);
        List<EventTreePruner.Day> days;
        try {
            days = EventTreePruner.prune(root, cut, dryRun);
        } catch (IOException e) {
            context.err().println("events prune: cannot read " + root + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        String verb = dryRun ? "would prune" : "pruned";
        int pruned = 0;
        int files = 0;
        for (EventTreePruner.Day day : days) {
            if (day.pruned()) {
                pruned++;
                files += day.files();
                context.out().println(verb + " " + day.day() + ": " + day.files() + " event file" + (day.files() == 1 ? "" : "s"));
            } else {
                context.out().println("kept " + day.day() + ": " + day.reason());
            }
        }
        context.out().println("events prune: " + verb + " " + pruned + " day" + (pruned == 1 ? "" : "s") + " (" + files + " event file"
                + (files == 1 ? "" : "s") + ") that ended before " + cut + ", kept " + (days.size() - pruned));
        return ExitCodes.OK;
    }
}
