package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.protocol.NodeStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node leaves a live cluster, losing nothing: an ordered table of named steps, each judged done
 * from what the runtime and the daemons report, so running {@code remove-node} again resumes at the
 * first step not done and finishes an interrupted removal. The node's rows stay on the others.
 */
public final class NodeLeave {

    static final List<Step<LeaveView, LeaveRun>> STEPS = List.of(
            new Step<>("retire",
                    "record the node's index as retired: its rows keep its key range, so the index is never reused",
                    "retired", LeaveView::retired, LeaveRun::retire),
            new Step<>("drain",
                    "every running peer that still subscribes to the node has applied its WAL up to its current"
                            + " position (clients must have stopped writing to it)",
                    "drained", LeaveView::nothingToDrain, LeaveRun::drain),
            new Step<>("drop-own-subscriptions",
                    "the node drops its subscriptions to every peer, and with them their slots on the peers",
                    "dropping its own subscriptions", LeaveView::ownSubscriptionsGone, LeaveRun::dropOwnSubscriptions),
            new Step<>("drop-peer-subscriptions",
                    "every running peer drops its subscriptions to the node (detached first when the node is gone)",
                    "peers dropping subscriptions", LeaveView::noPeerSubscribes, LeaveRun::dropPeerSubscriptions),
            new Step<>("drop-leftover-slots",
                    "every running peer drops any slot kept for the node: a slot left behind keeps WAL forever;"
                            + " no daemon reports its slots, so this step is always redone",
                    "dropping leftover slots", LeaveView::unobservable, LeaveRun::dropLeftoverSlots),
            new Step<>("topology",
                    "the running peers are told the topology without the node; not reported, so always redone",
                    "updateNetworkTopology", LeaveView::unobservable, LeaveRun::updateTopology),
            new Step<>("remove-container",
                    "the node's container goes, then its data volume; its rows stay on every other node",
                    "container removed", LeaveView::containerGone, LeaveRun::removeContainer));

    /**
     * Leaving for a resync: the same steps without retiring the index (the node comes back at it) and without the
     * topology update (the join that follows tells everyone).
     */
    static final List<Step<LeaveView, LeaveRun>> FOR_RESYNC = STEPS.stream()
            .filter(s -> !s.name().equals("retire") && !s.name().equals("topology")).toList();

    private final ClusterContext ctx;

    public NodeLeave(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Removes {@code node}: drains it, drops every subscription and slot that refers to it, removes its container. */
    public void removeNode(String node) {
        List<NodeContainer> all = ctx.runtime().list(ctx.cluster());
        Optional<NodeContainer> target = all.stream().filter(n -> n.node().equals(node)).findFirst();
        List<NodeContainer> remaining = all.stream().filter(n -> !n.node().equals(node)).toList();
        int index = target.map(NodeContainer::index).orElseGet(() -> indexOf(node));
        boolean retired = ctx.runtime().retiredIndexes(ctx.cluster()).contains(index);
        if (target.isEmpty() && !retired) {
            throw new UsageException("NODE", "cluster " + ctx.cluster() + " has no node " + node + " (nodes: "
                    + all.stream().map(NodeContainer::node).toList() + ")");
        }
        if (target.isPresent() && remaining.size() < ctx.config().minNodes()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has " + all.size() + " nodes; removing "
                    + node + " would leave fewer than scale.min_nodes (" + ctx.config().minNodes() + ")");
        }
        LeaveRun run = new LeaveRun(ctx, node, index, target, remaining);
        StepTable.run(STEPS, view(node, retired, target, remaining), run, ctx, node);
        ctx.log().accept("[remove-node] " + node + " removed: cluster " + ctx.cluster() + " has " + remaining.size()
                + " nodes; its rows stay");
    }

    /**
     * The node leaves so that it can join again on a fresh copy ({@link NodeResync}): its own changes reach the
     * running peers first when it runs, every subscription and slot that refers to it goes, then its container and
     * its data. Its index is not retired. Returns its index.
     */
    int leaveForResync(String node) {
        List<NodeContainer> all = ctx.runtime().list(ctx.cluster());
        Optional<NodeContainer> target = all.stream().filter(n -> n.node().equals(node)).findFirst();
        List<NodeContainer> remaining = all.stream().filter(n -> !n.node().equals(node)).toList();
        int index = target.map(NodeContainer::index).orElseGet(() -> indexOf(node));
        LeaveRun run = new LeaveRun(ctx, node, index, target, remaining);
        StepTable.run(FOR_RESYNC, view(node, false, target, remaining), run, ctx, node);
        return index;
    }

    private LeaveView view(String node, boolean retired, Optional<NodeContainer> target, List<NodeContainer> remaining) {
        boolean running = target.map(NodeContainer::running).orElse(false);
        NodeStatus self = null;
        if (running) {
            try (NodeSession s = ctx.rpc(target.get())) {
                self = s.api().status();
            } catch (NodeRpcException e) {
                // not answering: its own steps are judged not done
            }
        }
        List<NodeContainer> peers = remaining.stream().filter(NodeContainer::running).toList();
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        for (NodeContainer p : peers) {
            try (NodeSession s = ctx.rpc(p)) {
                statuses.put(p.node(), s.api().status());
            }
        }
        boolean hasData = ctx.runtime().volumes(ctx.cluster()).stream().anyMatch(v -> v.node().equals(node));
        return new LeaveView(node, retired, target.isPresent() || hasData, running, self,
                peers.stream().map(NodeContainer::node).toList(), statuses, MeshSpecs.tableNames(ctx.config()));
    }

    private static int indexOf(String node) {
        if (!node.matches("node\\d{1,4}")) {
            throw new UsageException("NODE", "'" + node + "' is not a node name (node0, node1, ...)");
        }
        return Integer.parseInt(node.substring(4));
    }

    /** The step names of a removal, in order. */
    public static List<String> stepNames() {
        return StepTable.names(STEPS);
    }
}
