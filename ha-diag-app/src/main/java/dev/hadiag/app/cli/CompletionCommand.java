package dev.hadiag.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ha-diag completion}: the bash (and zsh, through bashcompinit) completion script picocli generates from the commands. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script for ha-diag (zsh: after autoload -U bashcompinit && bashcompinit).",
                "Install it with: ha-diag completion | sudo tee /etc/bash_completion.d/ha-diag, or source <(ha-diag completion)."})
final class CompletionCommand implements Callable<Integer> {

    private final CliContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out().print(AutoComplete.bash("ha-diag", spec.root().commandLine()));
        context.out().flush();
        return ExitCodes.OK;
    }
}
