package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.SubscriberProgress;
import io.pgmesh.protocol.SubscriptionInfo;
import io.pgmesh.protocol.SubscriptionOptions;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adds or removes one node on a live cluster while clients keep writing, losing nothing.
 *
 * <p>Join of node N (see docs/SCALING.md for the reasoning): N gets the schema without
 * subscriptions; every peer P creates the slot N will stream from, so P keeps every change from
 * then on; a source S applies every other peer's WAL up to that peer's slot position; N copies S's
 * rows (table sync) and streams from S's slot; N's subscriptions to the other peers are created on
 * their slots, disabled, and enabled only once the copy is done; overlapping changes apply
 * idempotently (the version triggers skip a version already held); then every peer subscribes to N.
 * Every step asks first, so running add-node again finishes an interrupted join.
 */
public final class ClusterScale {

    /** How long the initial copy to a joining node may take. */
    public static final Duration SYNC_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    private final ClusterContext ctx;

    public ClusterScale(ClusterContext ctx) {
        this.ctx = ctx;
    }

    // ---- add ----

    /**
     * A finished join: the node, and per member's index the horizon it had when the join began (empty
     * when an interrupted join was finished: its start is unknown). Only changes made since then can
     * have been reordered by the join, so its repair compares those ({@code ClusterRepair.afterJoin}).
     */
    public record Joined(NodeContainer node, Map<Integer, String> changedSince) {
        public Joined {
            changedSince = Map.copyOf(changedSince);
        }
    }

    /** Adds one node (or finishes the join of a half-joined one). */
    public Joined addNode(ClusterUp.NodeImageSource images) {
        List<NodeContainer> all = ctx.runtime().list(ctx.cluster());
        if (all.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes; create it with 'pgmesh up'");
        }
        List<String> down = all.stream().filter(n -> !n.running()).map(NodeContainer::node).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot add a node while " + String.join(", ", down) + (down.size() == 1
                    ? " is" : " are") + " down: every peer must keep changes for the new node; start or remove "
                    + (down.size() == 1 ? "it" : "them") + " first");
        }
        Optional<NodeContainer> halfJoined = halfJoined(all);
        NodeContainer joining;
        List<NodeContainer> members;
        Map<Integer, String> changedSince;
        if (halfJoined.isPresent()) {
            joining = halfJoined.get();
            members = all.stream().filter(n -> n.index() != joining.index()).toList();
            changedSince = Map.of();
            ctx.log(joining.node(), "finishing an interrupted join");
        } else {
            if (all.size() + 1 > ctx.config().maxNodes()) {
                throw new IllegalStateException("cluster " + ctx.cluster() + " already has " + all.size()
                        + " nodes, scale.max_nodes is " + ctx.config().maxNodes());
            }
            members = all;
            changedSince = horizons(members);
            int index = nextIndex(members);
            ctx.log(MeshNames.nodeName(index), "joining cluster " + ctx.cluster() + " with " + members.size()
                    + " nodes");
            joining = new NodeStarter(ctx).ensureRunning(index, images.ensureBuilt(), null);
        }
        join(joining, members);
        ctx.log().accept("[add-node] " + joining.node() + " joined: cluster " + ctx.cluster() + " has "
                + (members.size() + 1) + " nodes");
        return new Joined(joining, changedSince);
    }

    /**
     * Each member's change horizon before anything of the join happens: a change stamped before it was
     * committed before the new node's slots existed, so the copy holds it.
     */
    private Map<Integer, String> horizons(List<NodeContainer> members) {
        Map<Integer, String> horizons = new LinkedHashMap<>();
        for (NodeContainer m : members) {
            try (NodeSession client = ctx.rpc(m)) {
                ChangeHorizon h = client.api().changeHorizon(new HorizonRequest(ctx.config().database()));
                horizons.put(h.nodeIndex(), h.horizon());
            }
        }
        return horizons;
    }

    /** After every member and every retired index, and after every key range that holds rows. */
    private int nextIndex(List<NodeContainer> members) {
        int next = members.stream().mapToInt(NodeContainer::index).max().orElse(-1) + 1;
        for (int retired : ctx.runtime().retiredIndexes(ctx.cluster())) {
            next = Math.max(next, retired + 1);
        }
        try (NodeSession client = ctx.rpc(members.get(0))) {
            for (TableSpec table : ctx.config().tables()) {
                TableDigest digest = client.api().digestTable(new DigestRequest(ctx.config().database(), table.name(), 1));
                if (digest.maxId() != null && digest.maxId() > 0) {
                    next = Math.max(next, (int) ((digest.maxId() - 1) / MeshNames.KEY_RANGE) + 1);
                }
            }
        }
        return next;
    }

    /** A node whose subscriptions are not all in place, enabled and synced, or that peers do not subscribe from. */
    private Optional<NodeContainer> halfJoined(List<NodeContainer> all) {
        return Membership.halfJoined(all, statuses(all), ctx.config().tables().size());
    }

    private void join(NodeContainer joining, List<NodeContainer> members) {
        List<TopologyHost> hosts = new ArrayList<>();
        members.forEach(m -> hosts.add(host(m)));
        hosts.add(host(joining));
        updateTopology(members, joining, hosts);
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        String db = ctx.config().database();
        try (NodeSession n = ctx.rpc(joining)) {
            ctx.logStep(joining.node(), "initDatabase " + db, n.api().initDatabase(MeshSpecs.database(ctx.config(), secrets())));
            for (TableSpec table : ctx.config().tables()) {
                ctx.logStep(joining.node(), "createReplicaTable " + table.name() + " (no subscriptions yet)", n.api()
                        .createReplicaTable(new ReplicaTableRequest(db, table, replication(), false)));
            }
        }
        Map<String, Map<String, Lsn>> slots = ensureSlots(joining, members, tables);
        NodeContainer source = members.get(0);
        awaitSourceCaughtUp(source, members, slots, tables);
        try (NodeSession n = ctx.rpc(joining)) {
            for (String table : tables) {
                ctx.logStep(joining.node(), "subscribing to " + source.node() + " " + table + " with a copy of its rows",
                        n.api().subscribeToNode(new SubscribeRequest(db, List.of(table), host(source), replication(),
                                new SubscriptionOptions(true, MeshNames.subscription(joining.node(), source.node(), table),
                                        true))));
            }
            for (NodeContainer peer : members.subList(1, members.size())) {
                for (String table : tables) {
                    ctx.logStep(joining.node(), "subscribing to " + peer.node() + " " + table + " (disabled until the copy is done)",
                            n.api().subscribeToNode(new SubscribeRequest(db, List.of(table), host(peer), replication(),
                                    new SubscriptionOptions(false, MeshNames.subscription(joining.node(), peer.node(),
                                            table), false))));
                }
            }
            awaitCopied(n, joining, source);
            for (NodeContainer peer : members.subList(1, members.size())) {
                ctx.logStep(joining.node(), "enabling subscriptions to " + peer.node(),
                        n.api().setSubscriptionsEnabled(new EnableRequest(db, tables, peer.node(), true)));
            }
        }
        for (int i = members.size() - 1; i >= 0; i--) {
            NodeContainer peer = members.get(i);
            try (NodeSession p = ctx.rpc(peer)) {
                ctx.logStep(peer.node(), "subscribing to " + joining.node(), p.api().subscribeToNode(
                        new SubscribeRequest(db, tables, host(joining), replication())));
            }
        }
    }

    /** On every peer, the slot the joining node will stream from; their positions. */
    private Map<String, Map<String, Lsn>> ensureSlots(NodeContainer joining, List<NodeContainer> members,
                                                      List<String> tables) {
        Map<String, Map<String, Lsn>> positions = new LinkedHashMap<>();
        for (NodeContainer peer : members) {
            try (NodeSession p = ctx.rpc(peer)) {
                for (String table : tables) {
                    String slot = MeshNames.subscription(joining.node(), peer.node(), table);
                    SlotInfo info = p.api().ensureSlot(new SlotRequest(ctx.config().database(), slot));
                    ctx.log(peer.node(), (info.created() ? "created" : "kept") + " slot " + slot + " at " + info.lsn()
                            + " for " + joining.node());
                    positions.computeIfAbsent(peer.node(), k -> new LinkedHashMap<>()).put(table, Lsn.parse(info.lsn()));
                }
            }
        }
        return positions;
    }

    /** The source has applied every other peer's changes up to the slot that peer keeps for the new node. */
    private void awaitSourceCaughtUp(NodeContainer source, List<NodeContainer> members,
                                     Map<String, Map<String, Lsn>> slots, List<String> tables) {
        ctx.log(source.node(), "catching up with every peer up to the new node's slots (the copy's starting point)");
        for (NodeContainer peer : members) {
            if (peer.index() == source.index()) {
                continue;
            }
            try (NodeSession p = ctx.rpc(peer)) {
                Poll.until("[" + source.node() + "] caught up with " + peer.node(), CATCH_UP_TIMEOUT, Duration.ofMillis(100),
                        () -> {
                            List<SubscriberProgress> senders = p.api().replicationProgress().subscribers();
                            for (String table : tables) {
                                String sub = MeshNames.subscription(source.node(), peer.node(), table);
                                Lsn target = slots.get(peer.node()).get(table);
                                boolean reached = senders.stream().anyMatch(s -> sub.equals(s.subscription())
                                        && s.replayLsn() != null && Lsn.parse(s.replayLsn()).isAtLeast(target));
                                if (!reached) {
                                    return Optional.empty();
                                }
                            }
                            return Optional.of(true);
                        });
            }
        }
    }

    private void awaitCopied(NodeSession n, NodeContainer joining, NodeContainer source) {
        long start = System.nanoTime();
        long[] lastReport = {start};
        Poll.until("[" + joining.node() + "] initial copy from " + source.node(), SYNC_TIMEOUT, Duration.ofMillis(200),
                () -> {
                    List<SubscriptionInfo> fromSource = n.api().status().subscriptions().stream()
                            .filter(s -> source.node().equals(s.peer())).toList();
                    boolean done = !fromSource.isEmpty() && fromSource.stream()
                            .allMatch(s -> s.tablesTotal() > 0 && s.synced());
                    if (!done && System.nanoTime() - lastReport[0] > 5_000_000_000L) {
                        lastReport[0] = System.nanoTime();
                        ctx.log(joining.node(), String.format("still copying from %s (%.0f s)", source.node(),
                                (lastReport[0] - start) / 1e9));
                    }
                    return done ? Optional.of(true) : Optional.empty();
                });
        ctx.log(joining.node(), String.format("copy from %s done in %.1f s", source.node(),
                (System.nanoTime() - start) / 1e9));
    }

    // ---- remove ----

    /** Removes {@code node}: drains it, drops every subscription and slot that refers to it, removes its container. */
    public void removeNode(String node) {
        List<NodeContainer> all = ctx.runtime().list(ctx.cluster());
        Optional<NodeContainer> target = all.stream().filter(n -> n.node().equals(node)).findFirst();
        List<NodeContainer> remaining = all.stream().filter(n -> !n.node().equals(node)).toList();
        int index = target.map(NodeContainer::index).orElseGet(() -> indexOf(node));
        if (target.isEmpty() && !ctx.runtime().retiredIndexes(ctx.cluster()).contains(index)) {
            throw new UsageException("NODE", "cluster " + ctx.cluster() + " has no node " + node + " (nodes: "
                    + all.stream().map(NodeContainer::node).toList() + ")");
        }
        if (target.isPresent() && remaining.size() < ctx.config().minNodes()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has " + all.size() + " nodes; removing "
                    + node + " would leave fewer than scale.min_nodes (" + ctx.config().minNodes() + ")");
        }
        ctx.runtime().retire(ctx.cluster(), node, index);
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        String db = ctx.config().database();
        if (target.isPresent() && target.get().running()) {
            drain(target.get(), remaining, tables);
            try (NodeSession r = ctx.rpc(target.get())) {
                for (NodeContainer peer : remaining) {
                    ctx.logStep(node, "dropping subscriptions to " + peer.node(),
                            r.api().dropSubscriptionsTo(new PeerRequest(db, tables, peer.node())));
                }
            }
        }
        for (NodeContainer peer : remaining.stream().filter(NodeContainer::running).toList()) {
            try (NodeSession p = ctx.rpc(peer)) {
                ctx.logStep(peer.node(), "dropping subscriptions to " + node,
                        p.api().dropSubscriptionsTo(new PeerRequest(db, tables, node)));
                for (String table : tables) {
                    ctx.logStep(peer.node(), "dropping slot of " + node, p.api().dropSlot(
                            new SlotRequest(db, MeshNames.subscription(node, peer.node(), table))));
                }
            }
        }
        List<NodeContainer> running = remaining.stream().filter(NodeContainer::running).toList();
        List<TopologyHost> hosts = running.stream().map(ClusterScale::host).toList();
        for (NodeContainer m : running) {
            try (NodeSession c = ctx.rpc(m)) {
                ctx.logStep(m.node(), "updateNetworkTopology (" + hosts.size() + " hosts)", c.api().updateNetworkTopology(
                        MeshSpecs.topology(ctx.cluster(), ctx.networkName(), host(m), hosts)));
            }
        }
        target.ifPresent(t -> ctx.runtime().remove(t));
        ctx.log().accept("[remove-node] " + node + " removed: cluster " + ctx.cluster() + " has " + remaining.size()
                + " nodes; its rows stay");
    }

    /** Every change the leaving node made has been applied by every remaining node. */
    private void drain(NodeContainer leaving, List<NodeContainer> remaining, List<String> tables) {
        ctx.log(leaving.node(), "draining: waiting until every peer has applied its changes");
        Set<String> waitFor = subscriptionsTo(leaving, remaining, tables);
        try (NodeSession r = ctx.rpc(leaving)) {
            Lsn target = Lsn.parse(r.api().replicationProgress().currentLsn());
            Poll.until("[" + leaving.node() + "] drained", CATCH_UP_TIMEOUT, Duration.ofMillis(100), () -> {
                List<SubscriberProgress> senders = r.api().replicationProgress().subscribers();
                boolean drained = waitFor.stream().allMatch(sub -> senders.stream().anyMatch(s ->
                        sub.equals(s.subscription()) && s.replayLsn() != null
                                && Lsn.parse(s.replayLsn()).isAtLeast(target)));
                return drained ? Optional.of(true) : Optional.<Boolean>empty();
            });
        }
    }

    /**
     * The running peers' subscriptions to the leaving node. A peer whose subscription an interrupted
     * remove-node already dropped had applied everything before (the drain comes before any drop).
     */
    private Set<String> subscriptionsTo(NodeContainer leaving, List<NodeContainer> remaining, List<String> tables) {
        Set<String> subscriptions = new LinkedHashSet<>();
        Map<String, NodeStatus> statuses = statuses(remaining.stream().filter(NodeContainer::running).toList());
        statuses.forEach((peer, status) -> {
            for (String table : tables) {
                String sub = MeshNames.subscription(peer, leaving.node(), table);
                if (status.subscriptions().stream().anyMatch(s -> sub.equals(s.name()))) {
                    subscriptions.add(sub);
                } else {
                    ctx.log(peer, "no longer subscribes to " + leaving.node() + " " + table
                            + " (dropped by an earlier remove-node, after its drain): not waiting for it");
                }
            }
        });
        return subscriptions;
    }


    private static int indexOf(String node) {
        if (!node.matches("node\\d{1,4}")) {
            throw new UsageException("NODE", "'" + node + "' is not a node name (node0, node1, ...)");
        }
        return Integer.parseInt(node.substring(4));
    }

    // ---- shared ----

    private void updateTopology(List<NodeContainer> members, NodeContainer joining, List<TopologyHost> hosts) {
        List<NodeContainer> everyone = new ArrayList<>(members);
        everyone.add(joining);
        for (NodeContainer m : everyone) {
            try (NodeSession c = ctx.rpc(m)) {
                ctx.logStep(m.node(), "updateNetworkTopology (" + hosts.size() + " hosts)", c.api().updateNetworkTopology(
                        MeshSpecs.topology(ctx.cluster(), ctx.networkName(), host(m), hosts)));
            }
        }
    }

    private Map<String, NodeStatus> statuses(List<NodeContainer> nodes) {
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        for (NodeContainer n : nodes) {
            try (NodeSession c = ctx.rpc(n)) {
                statuses.put(n.node(), c.api().status());
            }
        }
        return statuses;
    }

    private static TopologyHost host(NodeContainer n) {
        return new TopologyHost(n.node(), n.index(), n.address());
    }

    private ClusterSecrets secrets() {
        return ClusterSecrets.resolve(ctx.home(), ctx.cluster(), MeshSpecs.configuredPasswords(ctx.config()), false);
    }

    private io.pgmesh.protocol.Credentials replication() {
        return MeshSpecs.replication(ctx.config(), secrets());
    }
}
