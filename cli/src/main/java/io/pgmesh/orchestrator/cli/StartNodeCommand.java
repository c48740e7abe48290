package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.NodeRestart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

@Command(name = "start-node", mixinStandardHelpOptions = true,
        description = "Start a stopped or killed node of the cluster again (same data and address) and wait"
                + " until it and its peers replicate with each other and it has caught up. Harmless on a"
                + " node that already runs.",
        footer = {"", "Example:", "  pgmesh start-node node1"})
final class StartNodeCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "The node to start, e.g. node1.")
    String node;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the mesh to be healthy and caught up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be at least 1 second");
        }
        new NodeRestart(context()).startNode(node, Duration.ofSeconds(timeoutSeconds));
        return ExitCodes.OK;
    }
}
