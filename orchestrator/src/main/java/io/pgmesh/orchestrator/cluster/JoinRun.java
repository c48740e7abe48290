package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.KeyRangeRequest;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;
import io.pgmesh.protocol.SubscriptionInfo;
import io.pgmesh.protocol.SubscriptionOptions;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One join in progress: what the steps of {@link NodeJoin}'s tables do, each idempotent. */
final class JoinRun {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    private final ClusterContext ctx;
    private final NodeContainer joining;
    private final List<NodeContainer> members;
    private final List<TopologyHost> hosts;
    private final List<String> tables;
    private final String db;
    private Map<String, Map<String, Lsn>> slots;

    JoinRun(ClusterContext ctx, NodeContainer joining, List<NodeContainer> members, List<TopologyHost> hosts) {
        this.ctx = ctx;
        this.joining = joining;
        this.members = List.copyOf(members);
        if (hosts == null) {
            List<TopologyHost> all = new ArrayList<>();
            members.forEach(m -> all.add(host(m)));
            all.add(host(joining));
            hosts = all;
        }
        this.hosts = List.copyOf(hosts);
        this.tables = MeshSpecs.tableNames(ctx.config());
        this.db = ctx.config().database();
    }

    // ---- shared by both tables ----

    void tellTopology() {
        List<NodeContainer> everyone = new ArrayList<>(members);
        everyone.add(joining);
        for (NodeContainer m : everyone) {
            TopologyHost self = hosts.stream().filter(h -> h.index() == m.index()).findFirst().orElse(host(m));
            try (NodeSession c = ctx.rpc(m)) {
                ctx.logStep(m.node(), "updateNetworkTopology (" + hosts.size() + " hosts)", c.api().updateNetworkTopology(
                        MeshSpecs.topology(ctx.cluster(), ctx.networkName(), self, hosts)));
            }
        }
    }

    void initDatabase() {
        try (NodeSession n = ctx.rpc(joining)) {
            ctx.logStep(joining.node(), "initDatabase " + db, n.api().initDatabase(MeshSpecs.database(ctx.config(),
                    secrets())));
        }
    }

    void createTables() {
        try (NodeSession n = ctx.rpc(joining)) {
            for (TableSpec table : ctx.config().tables()) {
                ctx.logStep(joining.node(), "createReplicaTable " + table.name() + " (no subscriptions yet)", n.api()
                        .createReplicaTable(new ReplicaTableRequest(db, table, replication(), false)));
            }
        }
    }

    void membersSubscribe() {
        continueKeyRange();
        for (int i = members.size() - 1; i >= 0; i--) {
            NodeContainer peer = members.get(i);
            try (NodeSession p = ctx.rpc(peer)) {
                ctx.logStep(peer.node(), "subscribing to " + joining.node(), p.api().subscribeToNode(
                        new SubscribeRequest(db, tables, joiningHost(), replication())));
            }
        }
    }

    // ---- a cluster being created ----

    void subscribeToMembers() {
        try (NodeSession n = ctx.rpc(joining)) {
            for (NodeContainer peer : members) {
                ctx.logStep(joining.node(), "subscribing to " + peer.node(), n.api().subscribeToNode(
                        new SubscribeRequest(db, tables, hostOf(peer), replication())));
            }
        }
    }

    // ---- a live cluster ----

    /** On every member, the slot the joining node will stream from; their positions. */
    void reserveSlots() {
        Map<String, Map<String, Lsn>> positions = new LinkedHashMap<>();
        for (NodeContainer peer : members) {
            try (NodeSession p = ctx.rpc(peer)) {
                for (String table : tables) {
                    String slot = MeshNames.subscription(joining.node(), peer.node(), table);
                    SlotInfo info = p.api().ensureSlot(new SlotRequest(db, slot));
                    ctx.log(peer.node(), (info.created() ? "created" : "kept") + " slot " + slot + " at " + info.lsn()
                            + " for " + joining.node());
                    positions.computeIfAbsent(peer.node(), k -> new LinkedHashMap<>()).put(table, info.lsn());
                }
            }
        }
        slots = positions;
    }

    /** The source has applied every other member's changes up to the slot that member keeps for the new node. */
    void awaitSourceCaughtUp() {
        if (slots == null) {
            reserveSlots();
        }
        NodeContainer source = source();
        ctx.log(source.node(), "catching up with every peer up to the new node's slots (the copy's starting point)");
        for (NodeContainer peer : members) {
            if (peer.index() == source.index()) {
                continue;
            }
            try (NodeSession p = ctx.rpc(peer)) {
                Poll.until(NodeException.prefixed(source.node(), "caught up with " + peer.node()), CATCH_UP_TIMEOUT, Duration.ofMillis(100),
                        () -> {
                            ReplicationProgress progress = p.api().replicationProgress();
                            for (String table : tables) {
                                String sub = MeshNames.subscription(source.node(), peer.node(), table);
                                if (!progress.hasReplayed(sub, slots.get(peer.node()).get(table))) {
                                    return Optional.empty();
                                }
                            }
                            return Optional.of(true);
                        });
            }
        }
    }

    void copyFromSource() {
        NodeContainer source = source();
        try (NodeSession n = ctx.rpc(joining)) {
            for (String table : tables) {
                ctx.logStep(joining.node(), "subscribing to " + source.node() + " " + table + " with a copy of its rows",
                        n.api().subscribeToNode(new SubscribeRequest(db, List.of(table), hostOf(source), replication(),
                                new SubscriptionOptions(true, MeshNames.subscription(joining.node(), source.node(), table),
                                        true))));
            }
        }
    }

    void subscribeToOthers() {
        try (NodeSession n = ctx.rpc(joining)) {
            for (NodeContainer peer : others()) {
                for (String table : tables) {
                    ctx.logStep(joining.node(), "subscribing to " + peer.node() + " " + table
                                    + " (disabled until the copy is done)",
                            n.api().subscribeToNode(new SubscribeRequest(db, List.of(table), hostOf(peer), replication(),
                                    new SubscriptionOptions(false, MeshNames.subscription(joining.node(), peer.node(),
                                            table), false))));
                }
            }
        }
    }

    void awaitCopied() {
        NodeContainer source = source();
        long start = System.nanoTime();
        long[] lastReport = {start};
        try (NodeSession n = ctx.rpc(joining)) {
            Poll.until(NodeException.prefixed(joining.node(), "initial copy from " + source.node()), NodeJoin.SYNC_TIMEOUT,
                    Duration.ofMillis(200), () -> {
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
        }
        ctx.log(joining.node(), String.format("copy from %s done in %.1f s", source.node(),
                (System.nanoTime() - start) / 1e9));
        continueKeyRange();
    }

    void enableOthers() {
        try (NodeSession n = ctx.rpc(joining)) {
            for (NodeContainer peer : others()) {
                ctx.logStep(joining.node(), "enabling subscriptions to " + peer.node(),
                        n.api().setSubscriptionsEnabled(new EnableRequest(db, tables, peer.node(), true)));
            }
        }
    }

    /**
     * The joining node's key sequences continue after its own rows that came with the copy (a resynced node gets
     * its earlier rows back; a new index has none): before any member subscribes and the pool can write through it.
     * Idempotent; done after the copy and again before the members subscribe, so an interrupted join cannot miss it.
     */
    private void continueKeyRange() {
        try (NodeSession n = ctx.rpc(joining)) {
            ctx.logStep(joining.node(), "continuing its key ranges after its own rows",
                    n.api().continueKeyRange(new KeyRangeRequest(db, tables)));
        }
    }

    // ---- helpers ----

    private NodeContainer source() {
        return members.get(0);
    }

    private List<NodeContainer> others() {
        return members.subList(1, members.size());
    }

    private TopologyHost joiningHost() {
        return hostOf(joining);
    }

    /** A node as the topology names it (its configured address in {@code up}), else as the runtime reports it. */
    private TopologyHost hostOf(NodeContainer n) {
        return hosts.stream().filter(h -> h.index() == n.index()).findFirst().orElse(host(n));
    }

    static TopologyHost host(NodeContainer n) {
        return new TopologyHost(n.node(), n.index(), n.address());
    }

    private ClusterSecrets secrets() {
        return ClusterSecrets.resolve(ctx.home(), ctx.cluster(), MeshSpecs.configuredPasswords(ctx.config()), false);
    }

    private Credentials replication() {
        return MeshSpecs.replication(ctx.config(), secrets());
    }
}
