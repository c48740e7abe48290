package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.NodeLeave;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "remove-node", mixinStandardHelpOptions = true,
        description = "Remove one node: wait until its changes reached every peer, drop every subscription and"
                + " replication slot that refers to it, remove its container; its rows stay. Refuses below"
                + " scale.min_nodes. Run it again to finish an interrupted removal.",
        footer = {"", "Example:", "  pgmesh remove-node node1"})
final class RemoveNodeCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "The node to remove, e.g. node1.")
    String node;

    @Override
    public Integer call() {
        new NodeLeave(context()).removeNode(node);
        return ExitCodes.OK;
    }
}
