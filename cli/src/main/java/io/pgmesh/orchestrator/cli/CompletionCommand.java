package io.pgmesh.orchestrator.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for pgmesh (bash; zsh through bashcompinit). It completes"
                + " commands, options and option values.",
                "It registers completion for the command name 'pgmesh', which also covers ./pgmesh."},
        footer = {"", "Examples:", "  pgmesh completion > ~/.local/share/bash-completion/completions/pgmesh",
                "  source <(pgmesh completion)                  # bash, this shell only",
                "  echo 'source <(pgmesh completion)' >> ~/.bashrc",
                "  autoload -U +X bashcompinit && bashcompinit && source <(pgmesh completion)   # zsh"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static String script(picocli.CommandLine root) {
        return AutoComplete.bash("pgmesh", root);
    }
}
