package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeVolume;
import io.pgmesh.protocol.MeshNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code pgmesh restart} and {@code pgmesh upgrade}: each node's container is replaced by a new one, one node at
 * a time, on the same data volume, address and host ports: drain (its changes reach every peer), stop (fast
 * shutdown), remove the container, create the new one (the new image for an upgrade), wait until its daemon
 * answers, every subscription streams and what it missed is applied; then the next node. Clients keep writing:
 * the pool routes around the node being replaced. A node whose container is missing but whose data is kept (an
 * interrupted roll) is recreated first, so running the command again finishes the roll.
 */
public final class RollingRestart {

    /** The nodes replaced and those already on the wanted image (upgrade). */
    public record Result(List<String> replaced, List<String> current) {
    }

    private final ClusterContext ctx;

    public RollingRestart(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Replaces every node's container with one on the image it runs now. */
    public Result restart(Duration timeout) {
        return roll(null, timeout);
    }

    /** Replaces the container of every node not on {@code image} with one on it. */
    public Result upgrade(String image, Duration timeout) {
        return roll(image, timeout);
    }

    private Result roll(String image, Duration timeout) {
        String doing = image == null ? "restart" : "upgrade";
        Map<Integer, NodeContainer> containers = new TreeMap<>();
        ctx.runtime().list(ctx.cluster()).forEach(c -> containers.put(c.index(), c));
        Map<Integer, NodeVolume> kept = new TreeMap<>();
        ctx.runtime().volumes(ctx.cluster()).forEach(v -> kept.put(v.index(), v));
        if (containers.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes" + (kept.isEmpty()
                    ? " (run 'pgmesh up')" : " but kept data: 'pgmesh up' brings the nodes back on it"));
        }
        List<String> down = containers.values().stream().filter(c -> !c.running()).map(NodeContainer::node).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot " + doing + " while " + String.join(", ", down)
                    + (down.size() == 1 ? " is" : " are") + " stopped: start " + (down.size() == 1 ? "it" : "them")
                    + " first ('pgmesh start')");
        }
        List<String> replaced = new ArrayList<>();
        List<String> current = new ArrayList<>();
        // an interrupted roll left a node with its data and no container: it comes back first
        for (NodeVolume v : kept.values()) {
            if (!containers.containsKey(v.index())) {
                String wanted = image != null ? image : ctx.runtime().imageOf(containers.values().iterator().next());
                ctx.log(v.node(), "has its data but no container (an interrupted " + doing + "): recreating it on "
                        + wanted);
                containers.put(v.index(), recreate(v.index(), wanted, timeout));
                replaced.add(v.node());
            }
        }
        for (NodeContainer node : List.copyOf(containers.values())) {
            if (replaced.contains(node.node())) {
                continue;
            }
            String wanted = image != null ? image : ctx.runtime().imageOf(node);
            if (image != null && ctx.runtime().runsImage(node, image)) {
                ctx.log(node.node(), "already on " + image);
                current.add(node.node());
                continue;
            }
            long start = System.nanoTime();
            ctx.log(node.node(), (image == null ? "restarting: " : "upgrading to " + image + ": ")
                    + "drain, stop, new container on its data, catch up");
            Duration drained = new ReplicationDrain(ctx).await(timeout);
            ctx.log(node.node(), String.format("its changes reached every peer (%.1f s); stopping it",
                    drained.toMillis() / 1000.0));
            ctx.runtime().stop(node);
            ctx.runtime().remove(node);
            recreate(node.index(), wanted, timeout);
            ctx.log(node.node(), String.format("%s in %.1f s", image == null ? "restarted" : "upgraded",
                    (System.nanoTime() - start) / 1e9));
            replaced.add(node.node());
        }
        ctx.log().accept("[" + doing + "] cluster " + ctx.cluster() + ": " + replaced.size() + " node(s) "
                + (image == null ? "restarted" : "upgraded") + (current.isEmpty() ? ""
                : ", " + current.size() + " already on " + image));
        return new Result(replaced, current);
    }

    private NodeContainer recreate(int index, String image, Duration timeout) {
        NodeContainer started = new NodeStarter(ctx).ensureRunning(index, image, null);
        new NodeRestart(ctx).awaitCaughtUp(MeshNames.nodeName(index), timeout);
        return started;
    }
}
