package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterStop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

@Command(name = "stop-node", mixinStandardHelpOptions = true,
        description = "Stop one node (PostgreSQL's fast shutdown) once replication has drained; its container,"
                + " data and host ports stay, and its peers keep what it misses. 'pgmesh start-node NODE' starts it"
                + " again. Harmless on a node that is stopped.",
        footer = {"", "Example:", "  pgmesh stop-node node1"})
final class StopNodeCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "The node to stop, e.g. node1.")
    String node;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for replication to drain first (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Override
    public Integer call() {
        if (drainSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--drain-timeout: must be >= 0");
        }
        new ClusterStop(context()).stopNode(node, Duration.ofSeconds(drainSeconds));
        return ExitCodes.OK;
    }
}
