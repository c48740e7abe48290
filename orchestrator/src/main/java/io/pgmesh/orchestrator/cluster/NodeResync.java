package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code pgmesh resync NODE}: rebuilds a node from a healthy peer, keeping its name, address and key range. For a
 * node that can no longer catch up by streaming (its peers' slots for it were lost past wal.max_slot_keep_mb), or
 * whose data is not to be trusted. The node leaves (its own changes reach the running peers first when it runs; every
 * subscription and slot that refers to it goes; its container and data go), then joins again at its index by the
 * live join (a copy of every row, its own earlier rows among them; its key sequences continue after them), then
 * add-node's repair of the join's window. What it wrote that never reached a peer is lost with its data.
 */
public final class NodeResync {

    private final ClusterContext ctx;

    public NodeResync(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public NodeJoin.Joined resync(String node, ClusterUp.NodeImageSource images, Duration repairTimeout) {
        List<NodeContainer> all = ctx.runtime().list(ctx.cluster());
        Optional<NodeContainer> target = all.stream().filter(n -> n.node().equals(node)).findFirst();
        boolean hasData = ctx.runtime().volumes(ctx.cluster()).stream().anyMatch(v -> v.node().equals(node));
        boolean resuming = Files.exists(marker(node));
        if (target.isEmpty() && !hasData && !resuming) {
            throw new UsageException("NODE", "cluster " + ctx.cluster() + " has no node '" + node + "' (nodes: "
                    + all.stream().map(NodeContainer::node).collect(Collectors.joining(", ")) + ")");
        }
        List<NodeContainer> others = all.stream().filter(n -> !n.node().equals(node)).toList();
        if (others.isEmpty()) {
            throw new IllegalStateException("cannot resync " + node + ": it is the only node, there is no peer to"
                    + " copy from");
        }
        List<String> down = others.stream().filter(n -> !n.running()).map(NodeContainer::node).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot resync " + node + " while " + String.join(", ", down)
                    + (down.size() == 1 ? " is" : " are") + " down: every peer must keep changes for it; start "
                    + (down.size() == 1 ? "it" : "them") + " first");
        }
        if (resuming && target.isEmpty() && !hasData) {
            ctx.log(node, "resync: finishing an interrupted resync (it left; it joins again now)");
        } else {
            ctx.log(node, "resync: its data is replaced by a fresh copy from " + others.get(0).node()
                    + "; what it wrote that reached a peer comes back with the copy");
        }
        // between the leave and the join the node has neither container nor data: the marker lets a rerun finish
        writeMarker(node);
        int index = new NodeLeave(ctx).leaveForResync(node);
        NodeJoin.Joined joined = new NodeJoin(ctx).rejoin(index, images);
        deleteMarker(node);
        new ClusterRepair(ctx).afterJoin(joined, repairTimeout);
        ctx.log().accept("[resync] " + node + " resynced: cluster " + ctx.cluster() + " has " + (others.size() + 1)
                + " nodes");
        return joined;
    }

    /** Kept with the cluster's secrets in the orchestrator's home, while a resync of {@code node} is under way. */
    private Path marker(String node) {
        return ClusterSecrets.fileFor(ctx.home(), ctx.cluster()).resolveSibling("resync-" + node);
    }

    private void writeMarker(String node) {
        try {
            Files.createDirectories(marker(node).getParent());
            Files.writeString(marker(node), "a resync of " + node + " is under way: 'pgmesh resync " + node
                    + "' finishes it\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the resync of " + node + " in " + marker(node), e);
        }
    }

    private void deleteMarker(String node) {
        try {
            Files.deleteIfExists(marker(node));
        } catch (IOException e) {
            ctx.log(node, "could not delete " + marker(node) + ": " + e.getMessage());
        }
    }
}
