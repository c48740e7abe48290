package io.pgmesh.orchestrator.docker;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.pgmesh.orchestrator.runtime.NodeVolume;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Creates, starts, inspects and removes the cluster's node containers. */
public final class NodeContainers {

    public static final int PG_PORT = 5432;
    public static final int RPC_PORT = 64000;
    private static final ExposedPort PG = ExposedPort.tcp(PG_PORT);
    private static final ExposedPort RPC = ExposedPort.tcp(RPC_PORT);

    private final DockerClient docker;
    private final Consumer<String> log;

    public NodeContainers(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    public DockerClient docker() {
        return docker;
    }

    /** The cluster's node containers, running or not, ordered by node index. */
    public List<NodeContainer> list(String cluster) {
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, cluster)).exec();
        return containers.stream()
                .filter(c -> c.getLabels() != null && c.getLabels().containsKey(Labels.NODE))
                .map(c -> inspect(c.getId()))
                .sorted(Comparator.comparingInt(NodeContainer::index))
                .toList();
    }

    public NodeContainer inspect(String containerId) {
        InspectContainerResponse info = docker.inspectContainerCmd(containerId).exec();
        Map<String, String> labels = info.getConfig().getLabels();
        boolean running = Boolean.TRUE.equals(info.getState().getRunning());
        String address = null;
        if (info.getNetworkSettings() != null && info.getNetworkSettings().getNetworks() != null) {
            address = info.getNetworkSettings().getNetworks().values().stream()
                    .map(ContainerNetwork::getIpAddress).filter(a -> a != null && !a.isEmpty())
                    .findFirst().orElse(null);
        }
        Map<ExposedPort, Ports.Binding[]> bindings = info.getNetworkSettings() == null
                || info.getNetworkSettings().getPorts() == null
                ? Map.of() : info.getNetworkSettings().getPorts().getBindings();
        return new NodeContainer(info.getId(), info.getName().replaceFirst("^/", ""), labels.get(Labels.NODE),
                Integer.parseInt(labels.getOrDefault(Labels.NODE_INDEX, "-1")), address, running,
                info.getState().getStatus(), hostPort(bindings, PG), hostPort(bindings, RPC));
    }

    private static int hostPort(Map<ExposedPort, Ports.Binding[]> bindings, ExposedPort port) {
        Ports.Binding[] b = bindings.get(port);
        if (b == null || b.length == 0 || b[0].getHostPortSpec() == null) {
            return 0;
        }
        return Integer.parseInt(b[0].getHostPortSpec());
    }

    /**
     * Creates (not starts) a node's container with a static address on the cluster network, its data volume
     * mounted, and its PostgreSQL and RPC ports published on 127.0.0.1 only, at the volume's host ports (kept
     * across restarts and new containers).
     */
    public String create(NodeContainerSpec spec, NodeVolume volume) {
        Ports ports = new Ports();
        ports.bind(PG, Ports.Binding.bindIpAndPort("127.0.0.1", volume.pgPort()));
        ports.bind(RPC, Ports.Binding.bindIpAndPort("127.0.0.1", volume.rpcPort()));
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withPortBindings(ports)
                .withBinds(new Bind(volume.name(), new Volume(NodeVolumes.MOUNT)))
                .withShmSize(256L * 1024 * 1024)
                // docker-init as PID 1 reaps orphans: a PostgreSQL whose daemon died and was restarted
                .withInit(true);
        String id;
        try {
            id = docker.createContainerCmd(spec.image())
                    .withName(spec.containerName())
                    .withHostName(spec.node())
                    .withLabels(Labels.forNode(spec.cluster(), spec.node(), spec.index()))
                    .withEnv(spec.envWithSecrets())
                    .withExposedPorts(PG, RPC)
                    .withHostConfig(hostConfig)
                    .withIpv4Address(spec.address())
                    .withAliases(spec.node())
                    .exec().getId();
        } catch (ConflictException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                    "a container named " + spec.containerName() + " already exists and is not a node of cluster "
                            + spec.cluster() + "; remove it (docker rm -f " + spec.containerName()
                            + ") or use another --cluster", e);
        }
        return id;
    }

    /**
     * Copies a node's files into its created (not yet started) container as {@code /run/secrets/pgmesh-tls-<name>},
     * owned by the image's postgres user, mode 0400: they never pass through the environment or a bind mount.
     */
    public void copyFiles(String containerId, Map<String, String> files) {
        if (files.isEmpty()) {
            return;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry dir =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("run/secrets/");
            dir.setMode(040755);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                org.apache.commons.compress.archivers.tar.TarArchiveEntry entry =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry("run/secrets/"
                                + io.pgmesh.protocol.TlsFiles.DELIVERY_PREFIX + file.getKey());
                entry.setSize(content.length);
                entry.setMode(0100400);
                entry.setIds(Integer.parseInt(NodeImage.POSTGRES_UID), Integer.parseInt(NodeImage.POSTGRES_GID));
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot pack the node's files: " + e.getMessage(), e);
        }
        try {
            docker.copyArchiveToContainerCmd(containerId).withRemotePath("/")
                    .withTarInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())).exec();
        } catch (DockerException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                    "copying the TLS files into container " + containerId + " failed: " + DockerEngine.rootMessage(e),
                    e);
        }
    }

    /** Starts an existing container (no-op when it runs) and returns its fresh view. */
    public NodeContainer start(String containerId) {
        try {
            if (!Boolean.TRUE.equals(docker.inspectContainerCmd(containerId).exec().getState().getRunning())) {
                docker.startContainerCmd(containerId).exec();
            }
        } catch (DockerException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                    "starting container " + containerId + " failed: " + DockerEngine.rootMessage(e),
                    ContainerLogs.tail(docker, containerId, 20), e);
        }
        return inspect(containerId);
    }

    /** Removes one node's container (already gone is fine). */
    public void remove(NodeContainer node) {
        log.accept(NodeException.prefixed(node.node(), "removing container " + node.containerName()));
        try {
            docker.removeContainerCmd(node.containerId()).withForce(true).exec();
        } catch (NotFoundException alreadyGone) {
            // the goal
        }
    }

    /** Removes every container of the cluster; returns their names. */
    public List<String> removeAll(String cluster) {
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, cluster)).exec();
        for (Container c : containers) {
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
            log.accept(NodeException.prefixed(c.getLabels().getOrDefault(Labels.NODE, name), "removing container " + name));
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException alreadyGone) {
                // removed meanwhile: that is the goal
            }
        }
        return containers.stream().map(c -> c.getNames()[0].replaceFirst("^/", "")).toList();
    }

    public List<String> lastLogLines(String containerId, int lines) {
        return ContainerLogs.tail(docker, containerId, lines);
    }
}
