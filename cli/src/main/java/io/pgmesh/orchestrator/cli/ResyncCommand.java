package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.NodeResync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resync", mixinStandardHelpOptions = true,
        description = "Rebuild a node from a healthy peer, keeping its name, address and key range: for a node that"
                + " can no longer catch up by streaming (status says so) or whose data is not to be trusted. Its"
                + " data is replaced by a fresh copy of every row (what it wrote that reached a peer comes back);"
                + " clients may keep writing to the other nodes. Run it again to finish an interrupted resync.",
        footer = {"", "Example:", "  pgmesh resync node2"})
final class ResyncCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "The node to rebuild, e.g. node2.")
    String node;

    @Override
    public Integer call() {
        ClusterContext ctx = context();
        new NodeResync(ctx).resync(node, nodeImage(ctx)::ensureBuilt, AddNodeCommand.REPAIR_DRAIN_TIMEOUT);
        return ExitCodes.OK;
    }
}
