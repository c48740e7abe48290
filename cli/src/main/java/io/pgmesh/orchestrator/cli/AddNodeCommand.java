package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.docker.NodeImage;
import picocli.CommandLine.Command;

@Command(name = "add-node", mixinStandardHelpOptions = true,
        description = "Add exactly one node to the running cluster, with every existing row, while clients keep"
                + " writing; refuses beyond scale.max_nodes. Run it again to finish an interrupted join.",
        footer = {"", "Example:", "  pgmesh add-node"})
final class AddNodeCommand extends ClusterCommand {

    static final java.time.Duration REPAIR_DRAIN_TIMEOUT = java.time.Duration.ofMinutes(5);

    private Progress progress;

    @Override
    java.util.function.Consumer<String> stepLog(java.util.function.Consumer<String> plain) {
        progress = new Progress("add-node", 2, line -> null, System::nanoTime, plain);
        return progress;
    }

    @Override
    public Integer call() {
        ClusterContext ctx = context();
        NodeImage image = nodeImage(ctx);
        progress.begin("join");
        NodeJoin.Joined joined = new NodeJoin(ctx).addNode(image::ensureBuilt);
        progress.begin("repair");
        // A joiner streams from its source while its other streams wait for the copy: changes
        // reordered across origins in that window are set right here. The repair compares only what
        // changed since the join began and leaves out what clients are still writing.
        new ClusterRepair(ctx).afterJoin(joined, REPAIR_DRAIN_TIMEOUT);
        progress.done();
        return ExitCodes.OK;
    }
}
