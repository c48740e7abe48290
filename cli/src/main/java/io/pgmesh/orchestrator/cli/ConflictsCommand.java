package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.conflict.ClusterPrune;
import io.pgmesh.orchestrator.conflict.RowExplainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = "Inspect conflicts the nodes resolved.",
        subcommands = {ConflictsCommand.Explain.class, ConflictsCommand.Prune.class},
        footer = {"", "Examples:", "  pgmesh conflicts explain table1 1235433221", "  pgmesh conflicts prune --older-than 24h"})
final class ConflictsCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: say which ones there are. */
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: explain or prune");
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

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Remove conflict history older than --older-than on every node: tombstones of deleted rows,"
                    + " shadow versions and the conflict log (they grow with every delete and conflict). Needs every"
                    + " node healthy; waits until no transaction begun before the cutoff is open and replication has"
                    + " drained, so no change still on its way can need what goes. Keep --older-than above the"
                    + " largest clock difference between hosts.",
            footer = {"", "Examples:", "  pgmesh conflicts prune", "  pgmesh conflicts prune --older-than 1h"})
    static final class Prune extends ClusterCommand {

        @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "24h",
                converter = DurationConverter.class,
                description = "Age of the history that goes: 90s, 15m, 24h, 7d or ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration olderThan;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for open transactions and for replication to drain"
                        + " (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            if (timeoutSeconds < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be >= 1, got "
                        + timeoutSeconds);
            }
            ClusterPrune.Result result = new ClusterPrune(context()).pruneOlderThan(olderThan,
                    Duration.ofSeconds(timeoutSeconds));
            out().println(render(result));
            out().flush();
            return ExitCodes.OK;
        }

        static String render(ClusterPrune.Result result) {
            if (result.nodesChanged() == 0) {
                return "nothing older than " + result.cutoff() + " to prune on " + result.actions().size() + " nodes";
            }
            return "pruned history older than " + result.cutoff() + " on " + result.nodesChanged() + " of "
                    + result.actions().size() + " nodes";
        }
    }
}
