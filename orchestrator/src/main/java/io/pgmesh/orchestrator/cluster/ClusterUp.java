package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.docker.ClusterNetwork;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeContainerSpec;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;
import com.github.dockerjava.api.model.Network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a cluster up: network, then nodes ONE AT A TIME, each wired into the mesh before the next
 * starts. Every step asks first and acts only when needed, so running {@code up} again after an
 * interruption completes the cluster.
 */
public final class ClusterUp {

    /** How long a started container may take until its daemon answers with PostgreSQL up. */
    public static final Duration DAEMON_READY_TIMEOUT = Duration.ofSeconds(90);

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
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), true);
        String image = images.ensureBuilt();
        requireSameTarget(nodeCount);
        ctx.network().ensure(ctx.cluster(), ctx.networkName(), ctx.config().subnetCidr(),
                ctx.config().gateway().toString(), nodeCount);

        Map<Integer, NodeContainer> existing = new TreeMap<>();
        ctx.containers().list(ctx.cluster()).forEach(c -> existing.put(c.index(), c));
        List<NodeContainer> members = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            NodeContainer node = ensureRunning(i, image, existing.get(i));
            existing.put(i, node);
            members.add(node);
            joinMesh(node, members, topologyHosts(existing.keySet()), secrets);
        }
        ctx.log().accept("[up] cluster " + ctx.cluster() + " is up: " + nodeCount + " nodes on " + ctx.networkName());
        return List.copyOf(members);
    }

    private void requireNodeCount(int nodeCount) {
        int max = ctx.config().maxNodes();
        if (nodeCount < 1 || nodeCount > max) {
            throw new IllegalArgumentException("--nodes: " + nodeCount + " is out of range 1.." + max
                    + " (system.networks[].config.scale.max_nodes)");
        }
    }

    /** A cluster created for N nodes is completed by up, not resized: resizing is add-node/remove-node. */
    private void requireSameTarget(int nodeCount) {
        Optional<Network> network = ctx.network().find(ctx.cluster());
        Optional<Integer> target = network.flatMap(ClusterNetwork::targetNodes);
        if (target.isPresent() && target.get() != nodeCount) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " was created with " + target.get()
                    + " nodes; run 'pgmesh up --nodes " + target.get() + "' to complete it, or 'pgmesh down' first");
        }
    }

    private NodeContainer ensureRunning(int index, String image, NodeContainer existing) {
        String node = MeshNames.nodeName(index);
        NodeContainer container;
        if (existing == null) {
            String address = ctx.config().nodeAddress(index).toString();
            ctx.log(node, "starting container " + ctx.containerName(node) + " at " + address);
            container = ctx.containers().create(new NodeContainerSpec(ctx.cluster(), node, index,
                    ctx.containerName(node), image, ctx.networkName(), address, List.of(
                    "PGMESH_MAX_NODES=" + ctx.config().maxNodes(),
                    "PGMESH_TABLES=" + ctx.config().tables().size(),
                    "PGMESH_CLUSTER=" + ctx.cluster(),
                    "PGMESH_NODE=" + node)));
        } else if (!existing.running()) {
            ctx.log(node, "starting existing container " + existing.containerName() + " (" + existing.state() + ")");
            container = ctx.containers().start(existing.containerId());
        } else {
            ctx.log(node, "container " + existing.containerName() + " already running at " + existing.address());
            container = existing;
        }
        awaitDaemonReady(container);
        return container;
    }

    private void awaitDaemonReady(NodeContainer container) {
        long started = System.nanoTime();
        try (NodeRpcClient client = ctx.rpc(container)) {
            NodeStatus status = Poll.until("[" + container.node() + "] daemon ready", DAEMON_READY_TIMEOUT,
                    Duration.ofMillis(100), () -> {
                        if (!ctx.containers().inspect(container.containerId()).running()) {
                            throw new IllegalStateException("container " + container.containerName() + " stopped");
                        }
                        NodeStatus s = client.api().status();
                        return s.postgresUp() ? Optional.of(s) : Optional.empty();
                    });
            ctx.log(container.node(), String.format("daemon ready on 127.0.0.1:%d, PostgreSQL %s (%.1f s)",
                    container.rpcPort(), status.postgresVersion(), (System.nanoTime() - started) / 1e9));
        } catch (Poll.TimeoutException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                    e.getMessage(), ctx.containers().lastLogLines(container.containerId(), 20), e);
        }
    }

    /**
     * Every node that exists, at its configured address. Nodes that already exist from an
     * interrupted run are included from the start, so a rerun tells each node exactly what it
     * already knows and changes nothing.
     */
    private List<TopologyHost> topologyHosts(Set<Integer> indexes) {
        return indexes.stream().sorted()
                .map(i -> new TopologyHost(MeshNames.nodeName(i), i, ctx.config().nodeAddress(i).toString()))
                .toList();
    }

    /** Wires the newest member into the mesh: topology everywhere, then its schema, then peers subscribe. */
    private void joinMesh(NodeContainer newest, List<NodeContainer> members, List<TopologyHost> hosts,
                          ClusterSecrets secrets) {
        for (NodeContainer m : members) {
            TopologyHost self = hosts.stream().filter(h -> h.index() == m.index()).findFirst().orElseThrow();
            try (NodeRpcClient client = ctx.rpc(m)) {
                report(m.node(), "updateNetworkTopology (" + hosts.size() + " hosts)", client.api()
                        .updateNetworkTopology(MeshSpecs.topology(ctx.cluster(), ctx.networkName(), self, hosts)));
            }
        }
        try (NodeRpcClient client = ctx.rpc(newest)) {
            report(newest.node(), "initDatabase " + ctx.config().database(),
                    client.api().initDatabase(MeshSpecs.database(ctx.config(), secrets)));
            for (TableSpec table : ctx.config().tables()) {
                report(newest.node(), "createReplicaTable " + table.name(), client.api().createReplicaTable(
                        new ReplicaTableRequest(ctx.config().database(), table,
                                MeshSpecs.replication(ctx.config(), secrets))));
            }
        }
        TopologyHost newHost = hosts.stream().filter(h -> h.index() == newest.index()).findFirst().orElseThrow();
        for (int i = members.size() - 2; i >= 0; i--) {
            NodeContainer peer = members.get(i);
            try (NodeRpcClient client = ctx.rpc(peer)) {
                report(peer.node(), "subscribing to " + newest.node(), client.api().subscribeToNode(
                        new SubscribeRequest(ctx.config().database(), MeshSpecs.tableNames(ctx.config()), newHost,
                                MeshSpecs.replication(ctx.config(), secrets))));
            }
        }
    }

    private void report(String node, String step, StepResult result) {
        if (result.actions().isEmpty()) {
            ctx.log(node, step + ": already in place");
            return;
        }
        ctx.log(node, step);
        result.actions().forEach(a -> ctx.log(node, "  " + a));
    }
}
