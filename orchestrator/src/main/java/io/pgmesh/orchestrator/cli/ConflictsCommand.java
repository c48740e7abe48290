package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.conflict.RowExplainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = "Inspect conflicts the nodes resolved.",
        subcommands = ConflictsCommand.Explain.class,
        footer = {"", "Example:", "  pgmesh conflicts explain table1 1235433221"})
final class ConflictsCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: say which ones there are. */
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: explain");
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show each node's version of a row (modified_ts, modified_by, values), the deletes of its"
                    + " key, the conflicts the nodes resolved on it, and the rule that decided the winner.",
            footer = {"", "Example:", "  pgmesh conflicts explain table1 1235433221"})
    static final class Explain extends ClusterCommand {

        @Parameters(index = "0", paramLabel = "TABLE", description = "A replicated table.")
        String table;

        @Parameters(index = "1", paramLabel = "ID", description = "The row's key.")
        long id;

        @Override
        public Integer call() {
            out().println(RowExplainer.render(new RowExplainer(context()).explain(table, id)));
            out().flush();
            return ExitCodes.OK;
        }
    }
}
