package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterUp;

import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import picocli.CommandLine.Command;

@Command(name = "add-node", mixinStandardHelpOptions = true,
        description = "Add exactly one node to the running cluster, with every existing row, while clients keep"
                + " writing; refuses beyond scale.max_nodes. Run it again to finish an interrupted join.",
        footer = {"", "Examples:", "  pgmesh add-node", "  pgmesh add-node --host h2   (a Swarm runtime: the new node's host)"})
final class AddNodeCommand extends ClusterCommand {

    @picocli.CommandLine.Option(names = "--host", paramLabel = "HOST",
            description = "On a Swarm runtime: the Swarm host (its hostname) the new node and its data live on;"
                    + " default: the host with the fewest of the cluster's nodes.")
    String host;

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
        if (host != null && !ctx.config().runtime().isSwarm()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--host: only for a Swarm runtime"
                    + " (system.runtime.kind \"swarm\" in " + global.config + "); on one engine every node runs here");
        }
        if (host != null && ctx.runtime() instanceof io.pgmesh.orchestrator.swarm.SwarmRuntime swarm) {
            swarm.requireHostForNewNode(host);
        }
        ClusterUp.NodeImageSource image = nodeImage(ctx);
        progress.begin("join");
        NodeJoin.Joined joined = new NodeJoin(ctx).addNode(image::ensureBuilt, host);
        progress.begin("repair");
        // A joiner streams from its source while its other streams wait for the copy: changes
        // reordered across origins in that window are set right here. The repair compares only what
        // changed since the join began and leaves out what clients are still writing.
        new ClusterRepair(ctx).afterJoin(joined, REPAIR_DRAIN_TIMEOUT);
        progress.done();
        return ExitCodes.OK;
    }
}
