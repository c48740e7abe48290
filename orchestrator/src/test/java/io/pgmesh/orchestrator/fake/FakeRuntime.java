package io.pgmesh.orchestrator.fake;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.rpc.NodeRpcFactory;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.Endpoint;
import io.pgmesh.orchestrator.runtime.NodeRuntime;
import io.pgmesh.orchestrator.runtime.NodeVolume;
import io.pgmesh.protocol.NodeRpc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Nodes in memory: one cluster's "containers", each with a {@link FakeNode} as its daemon, a network
 * flag with its target node count, and the retired indexes. What the Docker runtime reads from the
 * engine, this one reads from its maps; {@link #rpc()} talks to the fake daemons directly.
 */
public final class FakeRuntime implements NodeRuntime {

    private final String cluster;
    private final Map<String, NodeContainer> containers = new TreeMap<>();
    /**
     * The rows of the mesh, as each table's checksum: every node holds them once it has the table (replication and a
     * join's copy are at once in the fakes); a load sets them, a dump reads them.
     */
    public final Map<String, io.pgmesh.protocol.TableChecksum> content = new TreeMap<>();
    private final Map<String, FakeNode> daemons = new LinkedHashMap<>();
    private final Set<Integer> retired = new TreeSet<>();
    /** Each node's kept data: its volume (with its host ports) and its daemon's catalog. */
    private final Map<String, NodeVolume> volumes = new TreeMap<>();
    private final Map<String, FakeNode> data = new TreeMap<>();
    /** The image each container was created from. */
    private final Map<String, String> images = new TreeMap<>();
    private Integer networkTarget;
    private boolean network;
    private int nextPort = 20000;

    public FakeRuntime(String cluster) {
        this.cluster = cluster;
    }

    /** A context over this runtime and its fake daemons. */
    public ClusterContext context(SysConfig config, Path home, Consumer<String> log) {
        return new ClusterContext(cluster, config, this, rpc(), null, home, log);
    }

    /** Sessions with the fake daemons; a stopped node does not answer. */
    public NodeRpcFactory rpc() {
        return (node, timeout) -> {
            FakeNode daemon = daemons.get(node.node());
            if (daemon == null || !isRunning(node.node())) {
                throw unreachable(node.node());
            }
            return new NodeSession() {
                @Override
                public String node() {
                    return node.node();
                }

                @Override
                public NodeRpc api() {
                    return daemon;
                }

                @Override
                public void close() {
                }
            };
        };
    }

    static NodeRpcException unreachable(String node) {
        return new NodeRpcException(node, NodeRpcException.TRANSPORT, "[" + node + "] daemon did not answer: "
                + "connection refused (fake)", null, null, null);
    }

    /** The fake daemon of {@code node}, present as long as its container is. */
    public FakeNode node(String node) {
        FakeNode daemon = daemons.get(node);
        if (daemon == null) {
            throw new IllegalArgumentException("no fake node " + node + " (nodes: " + daemons.keySet() + ")");
        }
        return daemon;
    }

    Optional<FakeNode> reachable(String node) {
        return Optional.ofNullable(daemons.get(node)).filter(d -> isRunning(node));
    }

    List<FakeNode> daemons() {
        return List.copyOf(daemons.values());
    }

    boolean isRunning(String node) {
        return containers.values().stream().anyMatch(c -> c.node().equals(node) && c.running());
    }

    /** Stops a node as a crash would: its daemon no longer answers, its catalog stays. */
    public void kill(String node) {
        containers.values().stream().filter(c -> c.node().equals(node)).findFirst().ifPresent(this::stop);
    }

    /** Everything that outlasts a run: containers, network, retired indexes, and every node's catalog. */
    public Snapshot snapshot() {
        Map<String, FakeNode.Catalog> catalogs = new TreeMap<>();
        daemons.forEach((node, d) -> catalogs.put(node, d.catalog()));
        List<String> nodes = containers.values().stream().sorted(Comparator.comparingInt(NodeContainer::index))
                .map(c -> c.node() + (c.running() ? "" : " (" + c.state() + ")")).toList();
        return new Snapshot(network, networkTarget, nodes, Set.copyOf(retired), catalogs);
    }

    /** What {@link #snapshot()} compares. */
    public record Snapshot(boolean network, Integer networkTarget, List<String> nodes, Set<Integer> retired,
                           Map<String, FakeNode.Catalog> catalogs) {
    }

    // ---- NodeRuntime ----

    @Override
    public void preflight(String cluster, String networkName, SysConfig config, Set<String> containerNames) {
        // nothing foreign shares this runtime
    }

    @Override
    public void ensureNetwork(String cluster, String networkName, String subnetCidr, String gateway, int targetNodes) {
        if (!network) {
            network = true;
            networkTarget = targetNodes;
        }
    }

    @Override
    public boolean hasNetwork(String cluster) {
        return network;
    }

    @Override
    public Optional<Integer> targetNodes(String cluster) {
        return Optional.ofNullable(networkTarget);
    }

    @Override
    public List<String> removeNetwork(String cluster) {
        if (!network) {
            return List.of();
        }
        network = false;
        networkTarget = null;
        return List.of(cluster + "_net");
    }

    @Override
    public List<NodeContainer> list(String cluster) {
        return containers.values().stream().sorted(Comparator.comparingInt(NodeContainer::index)).toList();
    }

    @Override
    public NodeContainer inspect(String containerId) {
        NodeContainer c = containers.get(containerId);
        if (c == null) {
            throw new IllegalStateException("no container " + containerId);
        }
        return c;
    }

    @Override
    public NodeContainer create(NodeContainerSpec spec) {
        if (!network) {
            throw new IllegalStateException("network " + spec.network() + " does not exist");
        }
        String id = "fake-" + spec.containerName();
        if (containers.containsKey(id)) {
            throw new IllegalStateException("a container named " + spec.containerName() + " already exists");
        }
        spec.files().issue(List.of("127.0.0.1")); // as the Docker runtime: the node's certificates are issued
        NodeVolume volume = volumes.computeIfAbsent(spec.node(), n -> new NodeVolume(spec.containerName() + "-data", n,
                spec.index(), nextPort++, nextPort++));
        NodeContainer c = new NodeContainer(id, spec.containerName(), spec.node(), spec.index(), spec.address(), true,
                "running", volume.pgPort(), volume.rpcPort());
        containers.put(id, c);
        images.put(id, spec.image());
        // the daemon's catalog lives on the node's volume: a new container on kept data finds it again
        daemons.put(spec.node(), data.computeIfAbsent(spec.node(), n -> new FakeNode(n, this)));
        return c;
    }

    @Override
    public String imageOf(NodeContainer node) {
        return images.get(node.containerId());
    }

    @Override
    public boolean runsImage(NodeContainer node, String image) {
        return image.equals(imageOf(node));
    }

    @Override
    public NodeContainer start(String containerId) {
        NodeContainer c = inspect(containerId);
        if (!c.running()) {
            NodeVolume volume = volumes.get(c.node());
            c = new NodeContainer(c.containerId(), c.containerName(), c.node(), c.index(), c.address(), true, "running",
                    volume.pgPort(), volume.rpcPort());
            containers.put(containerId, c);
        }
        return c;
    }

    @Override
    public void stop(NodeContainer node) {
        NodeContainer c = containers.get(node.containerId());
        if (c != null && c.running()) {
            containers.put(c.containerId(), new NodeContainer(c.containerId(), c.containerName(), c.node(), c.index(),
                    c.address(), false, "exited", 0, 0));
        }
    }

    @Override
    public void remove(NodeContainer node) {
        NodeContainer c = containers.remove(node.containerId());
        if (c != null) {
            daemons.remove(c.node());
        }
    }

    @Override
    public List<String> removeAll(String cluster) {
        List<String> names = new ArrayList<>();
        for (NodeContainer c : list(cluster)) {
            remove(c);
            names.add(c.containerName());
        }
        return names;
    }

    @Override
    public List<NodeVolume> volumes(String cluster) {
        return volumes.values().stream().sorted(Comparator.comparingInt(NodeVolume::index)).toList();
    }

    @Override
    public void removeVolume(String cluster, String node) {
        if (containers.values().stream().anyMatch(c -> c.node().equals(node))) {
            throw new IllegalStateException("volume of " + node + " is in use by its container");
        }
        volumes.remove(node);
        data.remove(node);
    }

    @Override
    public List<String> removeData(String cluster) {
        List<String> names = volumes(cluster).stream().map(NodeVolume::name).toList();
        for (NodeVolume v : volumes(cluster)) {
            removeVolume(cluster, v.node());
        }
        retired.clear();
        return names;
    }

    @Override
    public Endpoint rpcEndpoint(NodeContainer node) {
        return new Endpoint("fake", node.rpcPort());
    }

    @Override
    public Endpoint pgEndpoint(NodeContainer node) {
        return new Endpoint("fake", node.pgPort());
    }

    @Override
    public List<String> lastLogLines(String containerId, int lines) {
        return List.of();
    }

    @Override
    public void streamLogs(NodeContainer node, Integer tail, boolean follow,
                           java.util.function.Consumer<io.pgmesh.orchestrator.docker.ContainerLogs.LogLine> sink) {
        // a fake node writes no log
    }

    @Override
    public void retire(String cluster, String node, int index) {
        retired.add(index);
    }

    @Override
    public Set<Integer> retiredIndexes(String cluster) {
        return Set.copyOf(retired);
    }
}
