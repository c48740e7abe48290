package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node joins the mesh: one wiring protocol for {@code up} (a cluster being created, no rows yet) and
 * {@code add-node} (a live cluster, losing nothing), each an ordered table of named steps. Every step
 * is judged done from what the daemons report, so running a join again resumes at the first step not
 * done: that is how {@code add-node} finishes an interrupted join and {@code up} an interrupted up.
 * See docs/SCALING.md for why the live join takes these steps in this order.
 */
public final class NodeJoin {

    /** How long the initial copy to a joining node may take. */
    public static final Duration SYNC_TIMEOUT = Duration.ofMinutes(30);

    /** Steps both tables start with: the node learns who it is, gets its database and its tables. */
    private static final List<Step<JoinView, JoinRun>> SCHEMA = List.of(
            new Step<>("topology",
                    "every member, then the joining node (told last), learns who is who and at which address",
                    "updateNetworkTopology", JoinView::knowsItself, JoinRun::tellTopology),
            new Step<>("init-database",
                    "the database and the roles owner, replicator, writer and reader on the joining node",
                    "initDatabase", JoinView::hasDatabase, JoinRun::initDatabase),
            new Step<>("create-tables",
                    "each table with its key range, version triggers, grants and publication; no subscriptions yet",
                    "createReplicaTable", JoinView::publishesEveryTable, JoinRun::createTables));

    /** {@code up}: nobody has written yet, so nothing needs copying or reserving. */
    static final List<Step<JoinView, JoinRun>> NEW_CLUSTER = concat(SCHEMA, List.of(
            new Step<>("subscribe-to-members",
                    "the joining node subscribes to every member: no copy, its own slot, streaming",
                    "subscribing to every member", JoinView::subscribesToEveryMember, JoinRun::subscribeToMembers),
            new Step<>("members-subscribe",
                    "every member, newest first, subscribes to the joining node",
                    "every member subscribing to it", JoinView::everyMemberSubscribes, JoinRun::membersSubscribe)));

    /** {@code add-node}: clients keep writing; every row committed anywhere reaches the new node once. */
    static final List<Step<JoinView, JoinRun>> LIVE_CLUSTER = concat(SCHEMA, List.of(
            new Step<>("reserve-slots",
                    "on every member the slot the joining node will stream from: the member keeps every change"
                            + " from the slot's position on, however long the copy takes",
                    "slots on every member", JoinView::subscribesToEveryMember, JoinRun::reserveSlots),
            new Step<>("source-caught-up",
                    "the copy source has applied every other member's WAL up to the slot that member keeps for"
                            + " the joining node, so the copy holds every change made before the slots",
                    "source caught up", JoinView::subscribesToSource, JoinRun::awaitSourceCaughtUp),
            new Step<>("copy-from-source",
                    "subscribe to the source with copy_data on its reserved slot: table sync copies its rows,"
                            + " then streams its changes",
                    "subscribing to the source with a copy", JoinView::subscribesToSource, JoinRun::copyFromSource),
            new Step<>("subscribe-to-others",
                    "subscribe to every other member on its reserved slot, disabled until the copy is done"
                            + " (a change streamed before the copy would hit a row not copied yet)",
                    "subscribing to the other members", JoinView::subscribesToEveryMember, JoinRun::subscribeToOthers),
            new Step<>("copy-done",
                    "every table of the subscription to the source has finished its initial copy",
                    "copy from the source", JoinView::copiedFromSource, JoinRun::awaitCopied),
            new Step<>("enable-others",
                    "the subscriptions to the other members start streaming, each at its slot's position",
                    "enabling subscriptions", JoinView::everyOwnSubscriptionEnabled, JoinRun::enableOthers),
            new Step<>("members-subscribe",
                    "every member, newest first, subscribes to the joining node (it has taken no writes yet)",
                    "every member subscribing to it", JoinView::everyMemberSubscribes, JoinRun::membersSubscribe)));

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

    private final ClusterContext ctx;

    public NodeJoin(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Adds one node to a live cluster (or finishes the join of a half-joined one). */
    public Joined addNode(ClusterUp.NodeImageSource images) {
        return addNode(images, null);
    }

    /**
     * Adds one node to a live cluster (or finishes the join of a half-joined one), on {@code host} when the runtime
     * spans several machines (null: the runtime picks the one with the fewest nodes).
     */
    public Joined addNode(ClusterUp.NodeImageSource images, String host) {
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
        Optional<NodeContainer> halfJoined = Membership.halfJoined(all, statuses(all), MeshSpecs.tableNames(ctx.config()));
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
            joining = new NodeStarter(ctx).ensureRunning(index, images.ensureBuilt(), null, host);
        }
        wire(LIVE_CLUSTER, joining, members, null);
        ctx.log().accept("[add-node] " + joining.node() + " joined: cluster " + ctx.cluster() + " has "
                + (members.size() + 1) + " nodes");
        return new Joined(joining, changedSince);
    }

    /**
     * A node that left for a resync joins again at its own index (name, address and key range), with a fresh copy of
     * every row, by the live join: its own earlier rows come back with the copy and its key sequences continue
     * after them.
     */
    public Joined rejoin(int index, ClusterUp.NodeImageSource images) {
        return joinAt(index, images, true);
    }

    /**
     * A node joins at {@code index} (its name, address and key range) by the live join, with a copy of every row; its
     * key sequences continue after the rows of its range it copied. For {@code restore}, whose rows fill the key
     * ranges of the nodes backed up: the restored cluster's nodes take those indexes again, as before the backup.
     */
    public Joined joinAt(int index, ClusterUp.NodeImageSource images) {
        return joinAt(index, images, false);
    }

    private Joined joinAt(int index, ClusterUp.NodeImageSource images, boolean again) {
        List<NodeContainer> members = ctx.runtime().list(ctx.cluster());
        String node = MeshNames.nodeName(index);
        if (members.stream().anyMatch(m -> m.index() == index)) {
            throw new IllegalStateException(node + " still has a container; it must leave before it joins again");
        }
        if (members.isEmpty() || members.stream().anyMatch(m -> !m.running())) {
            throw new IllegalStateException("cannot rejoin " + node + ": every other node must run (a member to copy"
                    + " from, and every member keeping changes for it)");
        }
        Map<Integer, String> changedSince = horizons(members);
        ctx.log(node, "joining cluster " + ctx.cluster() + (again ? " again" : "") + " with " + members.size()
                + " nodes");
        NodeContainer joining = new NodeStarter(ctx).ensureRunning(index, images.ensureBuilt(), null);
        wire(LIVE_CLUSTER, joining, members, null);
        ctx.log(node, (again ? "joined again" : "joined") + ": cluster " + ctx.cluster() + " has "
                + (members.size() + 1) + " nodes");
        return new Joined(joining, changedSince);
    }

    /**
     * Runs a join table for {@code joining} (running) into {@code members}; {@code hosts} is the topology
     * told to everyone, null for the members' and the joining node's own addresses.
     */
    void wire(List<Step<JoinView, JoinRun>> table, NodeContainer joining, List<NodeContainer> members,
              List<TopologyHost> hosts) {
        JoinRun run = new JoinRun(ctx, joining, members, hosts);
        StepTable.run(table, view(joining, members), run, ctx, joining.node());
    }

    /** What the daemons report now; the joining node may not answer yet. */
    private JoinView view(NodeContainer joining, List<NodeContainer> members) {
        NodeStatus self;
        try (NodeSession s = ctx.rpc(joining)) {
            self = s.api().status();
        } catch (NodeRpcException e) {
            self = null;
        }
        return new JoinView(joining.node(), self, members.stream().map(NodeContainer::node).toList(),
                statuses(members), MeshSpecs.tableNames(ctx.config()));
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

    private Map<String, NodeStatus> statuses(List<NodeContainer> nodes) {
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        for (NodeContainer n : nodes) {
            try (NodeSession c = ctx.rpc(n)) {
                statuses.put(n.node(), c.api().status());
            }
        }
        return statuses;
    }

    /** The step names of the live join, in order. */
    public static List<String> liveStepNames() {
        return StepTable.names(LIVE_CLUSTER);
    }

    /** The step names of a join into a cluster being created ({@code up}), in order. */
    public static List<String> newClusterStepNames() {
        return StepTable.names(NEW_CLUSTER);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
