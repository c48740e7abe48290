package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.util.List;

/** The precondition of a roll through every node (rotations): the cluster has nodes and every one runs. */
final class AllNodesRunning {

    private AllNodesRunning() {
    }

    /**
     * The cluster's nodes; an error when it has none, or naming the stopped ones and {@code why} they must run.
     *
     * @param doing what cannot be done, e.g. "rotate certificates"
     * @param why   what a stopped node would miss, e.g. "it would keep the old ones"
     */
    static List<NodeContainer> require(ClusterContext ctx, String doing, String why) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        if (nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes (run 'pgmesh up')");
        }
        List<String> down = nodes.stream().filter(n -> !n.running()).map(NodeContainer::node).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot " + doing + " while " + String.join(", ", down)
                    + (down.size() == 1 ? " is" : " are") + " stopped: " + why + "; start "
                    + (down.size() == 1 ? "it" : "them") + " first ('pgmesh start')");
        }
        return nodes;
    }
}
