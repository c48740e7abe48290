package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code pgmesh stop} and {@code stop-node}: nodes stop with PostgreSQL's fast shutdown and keep their
 * containers and data. Nothing can be lost by the order: every peer keeps a replication slot for a
 * stopped node, so whatever a node has not received yet waits in its peers' WAL. Replication is drained
 * first anyway (bounded), so that the next start has nothing to catch up and the slots hold no WAL meanwhile.
 */
public final class ClusterStop {

    private final ClusterContext ctx;

    public ClusterStop(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Stops every node; returns the nodes stopped (those already stopped are left as they are). */
    public List<String> stopAll(Duration drainTimeout) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        if (nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes (run 'pgmesh up')");
        }
        List<NodeContainer> running = nodes.stream().filter(NodeContainer::running).toList();
        drainFirst(running, drainTimeout);
        for (NodeContainer node : running) {
            ctx.log(node.node(), "stopping (PostgreSQL fast shutdown; container and data stay)");
            ctx.runtime().stop(node);
        }
        ctx.log().accept("[stop] cluster " + ctx.cluster() + ": " + running.size() + " node(s) stopped"
                + (running.size() < nodes.size() ? ", " + (nodes.size() - running.size()) + " already stopped" : "")
                + "; 'pgmesh start' starts them again");
        return running.stream().map(NodeContainer::node).toList();
    }

    /** Stops one node after its changes have reached every running peer (bounded wait); harmless when stopped. */
    public void stopNode(String node, Duration drainTimeout) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        NodeContainer target = nodes.stream().filter(c -> c.node().equals(node)).findFirst()
                .orElseThrow(() -> new UsageException("NODE", "cluster " + ctx.cluster() + " has no node '" + node
                        + "' (nodes: " + nodes.stream().map(NodeContainer::node).collect(Collectors.joining(", "))
                        + ")"));
        if (!target.running()) {
            ctx.log(node, "already stopped (" + target.state() + ")");
            return;
        }
        drainFirst(nodes.stream().filter(NodeContainer::running).toList(), drainTimeout);
        ctx.log(node, "stopping (PostgreSQL fast shutdown; container and data stay); 'pgmesh start-node " + node
                + "' starts it again");
        ctx.runtime().stop(target);
    }

    /**
     * Waits until the running nodes have applied each other's changes. A drain that does not end in time
     * (clients still writing faster than the peers apply) is reported, and the stop goes on: the peers'
     * slots keep what is not applied yet.
     */
    private void drainFirst(List<NodeContainer> running, Duration timeout) {
        if (running.size() < 2) {
            return;
        }
        try {
            Duration took = new ReplicationDrain(ctx).await(timeout);
            ctx.log().accept(String.format("[stop] replication drained in %.1f s", took.toMillis() / 1000.0));
        } catch (IllegalStateException e) {
            ctx.log().accept("[stop] " + e.getMessage() + "; stopping anyway: the peers' replication slots keep"
                    + " what is not applied yet, and it is applied after the next start");
        }
    }
}
