package io.pgmesh.orchestrator.cluster;

import java.util.List;

/** Removes the cluster's containers, its network and its stored secrets; nothing else. */
public final class ClusterDown {

    private final ClusterContext ctx;

    public ClusterDown(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Returns the names of the containers removed; an absent cluster is not an error. */
    public List<String> run() {
        List<String> removed = ctx.runtime().removeAll(ctx.cluster());
        List<String> networks = ctx.runtime().removeNetwork(ctx.cluster());
        ClusterSecrets.delete(ctx.home(), ctx.cluster());
        if (removed.isEmpty() && networks.isEmpty()) {
            ctx.log().accept("[down] cluster " + ctx.cluster() + " has no containers or network: nothing to remove");
        } else {
            ctx.log().accept("[down] cluster " + ctx.cluster() + " removed: " + removed.size() + " containers, "
                    + networks.size() + " network(s)");
        }
        return removed;
    }
}
