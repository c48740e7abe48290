package io.pgmesh.orchestrator.docker;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.runtime.Endpoint;
import io.pgmesh.orchestrator.runtime.NodeRuntime;
import io.pgmesh.orchestrator.runtime.NodeVolume;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Nodes as containers of one Docker engine (docker-java): a labelled bridge network with static
 * addresses, each node's data on a named volume that outlives its container, ports published on
 * 127.0.0.1 (kept with the volume), retired indexes as labelled volumes.
 */
public final class DockerRuntime implements NodeRuntime {

    private static final String LOCALHOST = "127.0.0.1";

    private final DockerClient docker;
    private final NodeContainers containers;
    private final ClusterNetwork network;
    private final NodeVolumes volumes;
    private final Consumer<String> log;

    public DockerRuntime(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
        this.containers = new NodeContainers(docker, log);
        this.network = new ClusterNetwork(docker, log);
        this.volumes = new NodeVolumes(docker, log);
    }

    public DockerClient docker() {
        return docker;
    }

    @Override
    public void preflight(String cluster, String networkName, SysConfig config, Set<String> containerNames) {
        network.preflight(cluster, networkName, config);
        requireFreeContainerNames(cluster, containerNames);
    }

    private void requireFreeContainerNames(String cluster, Set<String> wanted) {
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            if (c.getLabels() != null && cluster.equals(c.getLabels().get(Labels.CLUSTER))) {
                continue;
            }
            for (String name : c.getNames() == null ? new String[0] : c.getNames()) {
                String plain = name.replaceFirst("^/", "");
                if (wanted.contains(plain)) {
                    throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                            "a container named " + plain + " already exists and is not a node of cluster "
                                    + cluster + "; remove it (docker rm -f " + plain
                                    + ") or use another --cluster", null);
                }
            }
        }
    }

    @Override
    public void ensureNetwork(String cluster, String networkName, String subnetCidr, String gateway, int targetNodes) {
        network.ensure(cluster, networkName, subnetCidr, gateway, targetNodes);
    }

    @Override
    public boolean hasNetwork(String cluster) {
        return network.find(cluster).isPresent();
    }

    @Override
    public Optional<Integer> targetNodes(String cluster) {
        return network.find(cluster).flatMap(ClusterNetwork::targetNodes);
    }

    @Override
    public List<String> removeNetwork(String cluster) {
        return network.remove(cluster);
    }

    @Override
    public List<NodeContainer> list(String cluster) {
        return containers.list(cluster);
    }

    @Override
    public NodeContainer inspect(String containerId) {
        return containers.inspect(containerId);
    }

    @Override
    public NodeContainer create(NodeContainerSpec spec) {
        // ports are published on this machine's loopback: clients reach the node at 127.0.0.1
        Map<String, String> files = spec.files().issue(List.of(LOCALHOST, "localhost"));
        for (int attempt = 1; ; attempt++) {
            boolean kept = volumes.find(NodeVolumes.volumeName(spec.containerName())).isPresent();
            NodeVolume volume = volumes.ensure(spec.cluster(), spec.node(), spec.index(), spec.containerName());
            String id = containers.create(spec, volume);
            containers.copyFiles(id, files);
            try {
                return containers.start(id);
            } catch (DockerOperationException e) {
                if (!portTaken(e)) {
                    throw e;
                }
                if (kept) {
                    throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                            spec.node() + "'s host ports 127.0.0.1:" + volume.pgPort() + " and :" + volume.rpcPort()
                                    + " (kept with its data in volume " + volume.name() + ") are taken by another"
                                    + " program: free them and run the command again", e);
                }
                // picked free a moment ago, taken since: a new volume gets new ports
                containers.remove(containers.inspect(id));
                volumes.remove(volume.name());
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(DockerOperationException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("port is already allocated") || message.contains("address already in use");
    }

    @Override
    public String imageOf(NodeContainer node) {
        return docker.inspectContainerCmd(node.containerId()).exec().getImageId();
    }

    @Override
    public boolean runsImage(NodeContainer node, String image) {
        String wanted = docker.inspectImageCmd(image).exec().getId();
        return wanted.equals(imageOf(node));
    }

    @Override
    public NodeContainer start(String containerId) {
        return containers.start(containerId);
    }

    @Override
    public void stop(NodeContainer node) {
        try {
            docker.stopContainerCmd(node.containerId()).exec();
        } catch (NotFoundException alreadyGone) {
            // nothing to stop
        }
    }

    @Override
    public void remove(NodeContainer node) {
        containers.remove(node);
    }

    @Override
    public List<String> removeAll(String cluster) {
        return containers.removeAll(cluster);
    }

    @Override
    public List<NodeVolume> volumes(String cluster) {
        return volumes.list(cluster);
    }

    @Override
    public void removeVolume(String cluster, String node) {
        volumes.list(cluster).stream().filter(v -> v.node().equals(node)).forEach(v -> {
            log.accept(io.pgmesh.protocol.NodeException.prefixed(node, "deleting its data volume " + v.name()));
            volumes.remove(v.name());
        });
    }

    @Override
    public List<String> removeData(String cluster) {
        List<String> removed = new java.util.ArrayList<>();
        for (NodeVolume v : volumes.list(cluster)) {
            log.accept(io.pgmesh.protocol.NodeException.prefixed(v.node(), "deleting its data volume " + v.name()));
            volumes.remove(v.name());
            removed.add(v.name());
        }
        new RetiredNodes(docker, log).removeAll(cluster);
        return removed;
    }

    @Override
    public Endpoint rpcEndpoint(NodeContainer node) {
        return new Endpoint(LOCALHOST, node.rpcPort());
    }

    @Override
    public Endpoint pgEndpoint(NodeContainer node) {
        return new Endpoint(LOCALHOST, node.pgPort());
    }

    @Override
    public void streamLogs(NodeContainer node, Integer tail, boolean follow, Consumer<ContainerLogs.LogLine> sink)
            throws InterruptedException {
        ContainerLogs.stream(docker, node.containerId(), tail, follow, sink);
    }

    @Override
    public List<String> lastLogLines(String containerId, int lines) {
        return containers.lastLogLines(containerId, lines);
    }

    @Override
    public void retire(String cluster, String node, int index) {
        network.retire(cluster, node, index);
    }

    @Override
    public Set<Integer> retiredIndexes(String cluster) {
        return network.retiredIndexes(cluster);
    }
}
