package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterScale;
import io.pgmesh.orchestrator.docker.NodeImage;
import picocli.CommandLine.Command;

@Command(name = "add-node", mixinStandardHelpOptions = true,
        description = "Add exactly one node to the running cluster, with every existing row, while clients keep"
                + " writing; refuses beyond scale.max_nodes. Run it again to finish an interrupted join.",
        footer = {"", "Example:", "  pgmesh add-node"})
final class AddNodeCommand extends ClusterCommand {

    @Override
    public Integer call() {
        ClusterContext ctx = context();
        NodeImage image = new NodeImage(ctx.containers().docker(), ctx.log());
        new ClusterScale(ctx).addNode(image::ensureBuilt);
        return ExitCodes.OK;
    }
}
