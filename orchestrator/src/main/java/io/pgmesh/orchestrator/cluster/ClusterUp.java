package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.TopologyHost;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a cluster up: network, then nodes ONE AT A TIME, each wired into the mesh before the next
 * starts, by the same join protocol as {@code add-node} ({@link NodeJoin#NEW_CLUSTER}: nobody has
 * written yet, so nothing is copied). Every step asks first and acts only when needed, so running
 * {@code up} again after an interruption completes the cluster.
 */
public final class ClusterUp {

    /** How long nodes brought back on kept data may take until every subscription streams again. */
    static final java.time.Duration CAUGHT_UP_TIMEOUT = java.time.Duration.ofSeconds(180);

    private final ClusterContext ctx;
    private final NodeImageSource images;

    /** Supplies the node image tag (building it when needed). */
    @FunctionalInterface
    public interface NodeImageSource {
        String ensureBuilt();
    }

    public ClusterUp(ClusterContext ctx, NodeImageSource images) {
        this.ctx = ctx;
        this.images = images;
    }

    /** Brings the cluster to {@code nodeCount} nodes, all replicating with each other. */
    public List<NodeContainer> run(int nodeCount) {
        requireNodeCount(nodeCount);
        Map<Integer, NodeContainer> existing = new TreeMap<>();
        ctx.runtime().list(ctx.cluster()).forEach(c -> existing.put(c.index(), c));
        Optional<List<Integer>> restored = restoredIndexes(existing.isEmpty(), nodeCount);
        new UpPreflight(ctx).check(nodeCount); // before anything is created: subnet overlap, foreign names
        ClusterSecrets.resolve(ctx.home(), ctx.cluster(), MeshSpecs.configuredPasswords(ctx.config()), true);
        io.pgmesh.orchestrator.tls.ClusterPki.ensure(ctx.home(), ctx.cluster());
        String image = images.ensureBuilt();
        requireSameTarget(nodeCount);
        ctx.runtime().ensureNetwork(ctx.cluster(), ctx.networkName(), ctx.config().subnetCidr(),
                ctx.config().gateway().toString(), nodeCount);

        List<Integer> indexes = restored.orElseGet(() -> java.util.stream.IntStream.range(0, nodeCount).boxed().toList());
        // nodes brought back on their data knew each other before: each is told the whole mesh from the start
        Set<Integer> known = new java.util.TreeSet<>(restored.orElse(List.of()));
        List<NodeContainer> members = new ArrayList<>();
        for (int i : indexes) {
            requireNotRetired(i);
            NodeContainer node = new NodeStarter(ctx).ensureRunning(i, image, existing.get(i));
            existing.put(i, node);
            known.addAll(existing.keySet());
            new NodeJoin(ctx).wire(NodeJoin.NEW_CLUSTER, node, members, topologyHosts(known));
            members.add(node);
        }
        if (restored.isPresent()) {
            // a node brought back before its peers tried them while they were not there yet: PostgreSQL retries
            // every 5 s, so wait until every subscription streams and what was in flight at 'down' is applied
            new NodeRestart(ctx).awaitMeshCaughtUp("[up]", CAUGHT_UP_TIMEOUT);
        }
        ctx.log().accept("[up] cluster " + ctx.cluster() + " is up: " + nodeCount + " nodes on " + ctx.networkName());
        return List.copyOf(members);
    }

    /**
     * The nodes to bring back when the cluster has no containers but kept data ({@code down} keeps each
     * node's volume): exactly those nodes, at their indexes, each on its own data, so that no row is lost
     * and no key range reused. Empty when there is no kept data (a new cluster).
     */
    private Optional<List<Integer>> restoredIndexes(boolean noContainers, int nodeCount) {
        if (!noContainers) {
            return Optional.empty();
        }
        List<Integer> kept = ctx.runtime().volumes(ctx.cluster()).stream()
                .map(io.pgmesh.orchestrator.runtime.NodeVolume::index).distinct().sorted().toList();
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = kept.stream().map(MeshNames::nodeName).toList();
        if (kept.size() != nodeCount) {
            throw new UsageException("--nodes", "cluster " + ctx.cluster() + " has the kept data of " + kept.size()
                    + " node(s) (" + String.join(", ", names) + "); 'pgmesh up --nodes " + kept.size() + "' brings"
                    + " them back on it (then 'pgmesh add-node' to grow), 'pgmesh down --delete-data' deletes it");
        }
        ctx.log().accept("[up] bringing back " + String.join(", ", names) + " on their kept data");
        return Optional.of(kept);
    }

    /** How many nodes {@code up} brings back without {@code --nodes}: those with kept data, else none (0). */
    public static int keptNodes(ClusterContext ctx) {
        return ctx.runtime().list(ctx.cluster()).isEmpty() ? (int) ctx.runtime().volumes(ctx.cluster()).stream()
                .map(io.pgmesh.orchestrator.runtime.NodeVolume::index).distinct().count() : 0;
    }

    /** A removed node's index is never used again: its rows keep that key range. */
    private void requireNotRetired(int index) {
        if (ctx.runtime().retiredIndexes(ctx.cluster()).contains(index)) {
            throw new IllegalStateException(MeshNames.nodeName(index) + " was removed from cluster " + ctx.cluster()
                    + "; 'up' does not recreate removed nodes (use 'pgmesh add-node')");
        }
    }

    private void requireNodeCount(int nodeCount) {
        int max = ctx.config().maxNodes();
        if (nodeCount < 1 || nodeCount > max) {
            throw new UsageException("--nodes", nodeCount + " is out of range 1.." + max
                    + " (system.networks[].config.scale.max_nodes)");
        }
    }

    /** A cluster created for N nodes is completed by up, not resized: resizing is add-node/remove-node. */
    private void requireSameTarget(int nodeCount) {
        Optional<Integer> target = ctx.runtime().targetNodes(ctx.cluster());
        if (target.isPresent() && target.get() != nodeCount) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " was created with " + target.get()
                    + " nodes; run 'pgmesh up --nodes " + target.get() + "' to complete it, or 'pgmesh down' first");
        }
    }

    /**
     * Every node that exists, at its configured address (its service name on a Swarm). Nodes that already exist from an
     * interrupted run are included from the start, so a rerun tells each node exactly what it
     * already knows and changes nothing.
     */
    private List<TopologyHost> topologyHosts(Set<Integer> indexes) {
        return indexes.stream().sorted()
                .map(i -> new TopologyHost(MeshNames.nodeName(i), i, ctx.runtime().peerAddress(
                        ctx.containerName(MeshNames.nodeName(i)), ctx.config().nodeAddress(i).toString())))
                .toList();
    }
}
