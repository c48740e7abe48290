package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeVolume;

import java.util.List;

/**
 * Removes the cluster's containers and its network. By default the nodes' data volumes, the records of
 * retired node indexes and the cluster's stored secrets stay, so {@code up} brings every node back on its
 * own data (docker compose's convention); {@link Data#DELETE} deletes them too.
 */
public final class ClusterDown {

    /** What happens to the cluster's data. */
    public enum Data {
        /** Nodes stop cleanly first (PostgreSQL's fast shutdown); volumes, retired indexes and secrets stay. */
        KEEP,
        /** Containers are removed at once; volumes, retired indexes and secrets are deleted. */
        DELETE
    }

    /** What was removed and what was kept. */
    public record Result(List<String> containers, List<String> networks, List<String> volumesDeleted,
                         List<String> volumesKept) {
    }

    private final ClusterContext ctx;

    public ClusterDown(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Keeps the data; returns the names of the containers removed. An absent cluster is not an error. */
    public List<String> run() {
        return run(Data.KEEP).containers();
    }

    public Result run(Data data) {
        if (data == Data.KEEP) {
            stopRunningNodes();
        }
        List<String> removed = ctx.runtime().removeAll(ctx.cluster());
        List<String> networks = ctx.runtime().removeNetwork(ctx.cluster());
        List<String> deleted = List.of();
        List<String> kept = List.of();
        if (data == Data.DELETE) {
            deleted = ctx.runtime().removeData(ctx.cluster());
            ClusterSecrets.delete(ctx.home(), ctx.cluster());
        } else {
            kept = ctx.runtime().volumes(ctx.cluster()).stream().map(NodeVolume::name).toList();
        }
        if (removed.isEmpty() && networks.isEmpty() && deleted.isEmpty()) {
            ctx.log().accept("[down] cluster " + ctx.cluster() + " has no containers or network: nothing to remove");
        } else {
            String kind = ctx.config().runtime().isSwarm() ? " services, " : " containers, ";
            ctx.log().accept("[down] cluster " + ctx.cluster() + " removed: " + removed.size() + kind
                    + networks.size() + " network(s)" + (data == Data.DELETE ? ", " + deleted.size()
                    + " data volume(s) and its stored secrets" : ""));
        }
        if (!kept.isEmpty()) {
            ctx.log().accept("[down] kept " + kept.size() + " data volume(s) (" + String.join(", ", kept)
                    + ") and the cluster's secrets: 'pgmesh up' brings the nodes back on their data;"
                    + " 'pgmesh down --delete-data' deletes them");
        }
        return new Result(removed, networks, deleted, kept);
    }

    /** A clean shutdown (checkpoint, no crash recovery at the next start) for every node whose data stays. */
    private void stopRunningNodes() {
        for (NodeContainer node : ctx.runtime().list(ctx.cluster())) {
            if (node.running()) {
                ctx.log(node.node(), "stopping (PostgreSQL fast shutdown; its data stays)");
                ctx.runtime().stop(node);
            }
        }
    }
}
