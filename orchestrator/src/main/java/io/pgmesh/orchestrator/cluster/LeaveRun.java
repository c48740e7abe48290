package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;
import io.pgmesh.protocol.TopologyHost;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One removal in progress: what the steps of {@link NodeLeave#STEPS} do, each idempotent. */
final class LeaveRun {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    private final ClusterContext ctx;
    private final String node;
    private final int index;
    private final Optional<NodeContainer> target;
    private final List<NodeContainer> remaining;
    private final List<String> tables;
    private final String db;

    LeaveRun(ClusterContext ctx, String node, int index, Optional<NodeContainer> target, List<NodeContainer> remaining) {
        this.ctx = ctx;
        this.node = node;
        this.index = index;
        this.target = target;
        this.remaining = List.copyOf(remaining);
        this.tables = MeshSpecs.tableNames(ctx.config());
        this.db = ctx.config().database();
    }

    void retire() {
        ctx.runtime().retire(ctx.cluster(), node, index);
    }

    /** Every change the leaving node made has been applied by every remaining node that still streams from it. */
    void drain() {
        if (!leavingRuns()) {
            return;
        }
        NodeContainer leaving = target.orElseThrow();
        ctx.log(node, "draining: waiting until every peer has applied its changes");
        Set<String> waitFor = subscriptionsTo();
        try (NodeSession r = ctx.rpc(leaving)) {
            Lsn position = r.api().replicationProgress().currentLsn();
            Poll.until(NodeException.prefixed(node, "drained"), CATCH_UP_TIMEOUT, Duration.ofMillis(100), () -> {
                ReplicationProgress progress = r.api().replicationProgress();
                boolean drained = waitFor.stream().allMatch(sub -> progress.hasReplayed(sub, position));
                return drained ? Optional.of(true) : Optional.<Boolean>empty();
            });
        }
    }

    /**
     * The running peers' subscriptions to the leaving node. A peer whose subscription an interrupted
     * remove-node already dropped had applied everything before (the drain comes before any drop).
     */
    private Set<String> subscriptionsTo() {
        Set<String> subscriptions = new LinkedHashSet<>();
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        for (NodeContainer p : runningPeers()) {
            try (NodeSession c = ctx.rpc(p)) {
                statuses.put(p.node(), c.api().status());
            }
        }
        statuses.forEach((peer, status) -> {
            for (String table : tables) {
                String sub = MeshNames.subscription(peer, node, table);
                if (status.subscriptions().stream().anyMatch(s -> sub.equals(s.name()))) {
                    subscriptions.add(sub);
                } else {
                    ctx.log(peer, "no longer subscribes to " + node + " " + table
                            + " (dropped by an earlier remove-node, after its drain): not waiting for it");
                }
            }
        });
        return subscriptions;
    }

    void dropOwnSubscriptions() {
        if (!leavingRuns()) {
            return;
        }
        try (NodeSession r = ctx.rpc(target.orElseThrow())) {
            for (NodeContainer peer : remaining) {
                ctx.logStep(node, "dropping subscriptions to " + peer.node(),
                        r.api().dropSubscriptionsTo(new PeerRequest(db, tables, peer.node())));
            }
        }
    }

    void dropPeerSubscriptions() {
        for (NodeContainer peer : runningPeers()) {
            try (NodeSession p = ctx.rpc(peer)) {
                ctx.logStep(peer.node(), "dropping subscriptions to " + node,
                        p.api().dropSubscriptionsTo(new PeerRequest(db, tables, node)));
            }
        }
    }

    void dropLeftoverSlots() {
        for (NodeContainer peer : runningPeers()) {
            try (NodeSession p = ctx.rpc(peer)) {
                for (String table : tables) {
                    ctx.logStep(peer.node(), "dropping slot of " + node, p.api().dropSlot(
                            new SlotRequest(db, MeshNames.subscription(node, peer.node(), table))));
                }
            }
        }
    }

    void updateTopology() {
        List<NodeContainer> running = runningPeers();
        List<TopologyHost> hosts = running.stream().map(JoinRun::host).toList();
        for (NodeContainer m : running) {
            try (NodeSession c = ctx.rpc(m)) {
                ctx.logStep(m.node(), "updateNetworkTopology (" + hosts.size() + " hosts)", c.api().updateNetworkTopology(
                        MeshSpecs.topology(ctx.cluster(), ctx.networkName(), JoinRun.host(m), hosts)));
            }
        }
    }

    /** The node's container, then its data: its rows live on in the peers, a removed node's index is never reused. */
    void removeContainer() {
        target.ifPresent(t -> ctx.runtime().remove(t));
        ctx.runtime().removeVolume(ctx.cluster(), node);
        ctx.pki().forgetNode(node); // revoked: a copy of its keys can no longer reach a peer
    }

    private boolean leavingRuns() {
        return target.map(NodeContainer::running).orElse(false);
    }

    private List<NodeContainer> runningPeers() {
        return remaining.stream().filter(NodeContainer::running).toList();
    }
}
