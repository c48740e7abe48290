package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.pgmesh.orchestrator.runtime.NodeVolume;
import io.pgmesh.protocol.NodeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Each node's data as a named volume {@code <container>-data}, labelled with its cluster, node, index and
 * the host ports the node publishes (picked once, when the volume is made, and kept with it). It is mounted
 * at {@link #MOUNT}: PostgreSQL's data directory (17/main, which Docker copies from the image into the
 * empty volume on first use) and the daemon's state (pgmesh/). Settings the daemon writes live in
 * /etc/postgresql and are rewritten at every start, so a new image brings its own.
 */
public final class NodeVolumes {

    /** Where a node's volume is mounted. */
    public static final String MOUNT = "/var/lib/postgresql";
    private static final String SUFFIX = "-data";

    private final DockerClient docker;
    private final Consumer<String> log;

    public NodeVolumes(DockerClient docker, Consumer<String> log) {
        this.docker = docker;
        this.log = log;
    }

    public static String volumeName(String containerName) {
        return containerName + SUFFIX;
    }

    /** The node's volume, created (with new host ports) when it has none. */
    public NodeVolume ensure(String cluster, String node, int index, String containerName) {
        String name = volumeName(containerName);
        Optional<NodeVolume> kept = find(name);
        if (kept.isPresent()) {
            NodeVolume v = kept.get();
            if (!cluster.equals(clusterOf(name)) || v.index() != index) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "volume " + name
                        + " exists and is not the data of " + node + " of cluster " + cluster + "; remove it"
                        + " (docker volume rm " + name + ") or use another --cluster", null);
            }
            log.accept(NodeException.prefixed(node, "using its kept data volume " + name + " (host ports "
                    + v.pgPort() + ", " + v.rpcPort() + ")"));
            return v;
        }
        int[] ports = freePorts(2);
        Map<String, String> labels = new LinkedHashMap<>(Labels.forNode(cluster, node, index));
        labels.put(Labels.PG_PORT, Integer.toString(ports[0]));
        labels.put(Labels.RPC_PORT, Integer.toString(ports[1]));
        try {
            docker.createVolumeCmd().withName(name).withLabels(labels).exec();
        } catch (ConflictException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "creating volume " + name
                    + " failed: " + DockerEngine.rootMessage(e), e);
        }
        log.accept(NodeException.prefixed(node, "created data volume " + name + " (host ports " + ports[0] + ", "
                + ports[1] + ")"));
        return new NodeVolume(name, node, index, ports[0], ports[1]);
    }

    /** The cluster's node data volumes, ordered by index (retired-index records are not among them). */
    public List<NodeVolume> list(String cluster) {
        return volumes(cluster).stream()
                .filter(v -> v.getLabels() != null && v.getLabels().containsKey(Labels.NODE))
                .map(NodeVolumes::toNodeVolume)
                .sorted(Comparator.comparingInt(NodeVolume::index))
                .toList();
    }

    /** Deletes a volume; already gone is fine. A volume still in use is an error naming it. */
    public void remove(String name) {
        try {
            docker.removeVolumeCmd(name).exec();
        } catch (NotFoundException alreadyGone) {
            // the goal
        } catch (ConflictException inUse) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "volume " + name
                    + " is still in use: " + DockerEngine.rootMessage(inUse), inUse);
        }
    }

    /** The volume of that name, when there is one (made by pgmesh: anything else is an error naming it). */
    public Optional<NodeVolume> find(String name) {
        try {
            InspectVolumeResponse v = docker.inspectVolumeCmd(name).exec();
            if (v.getLabels() == null || !v.getLabels().containsKey(Labels.NODE)) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "volume " + name
                        + " exists and was not made by pgmesh; remove it (docker volume rm " + name
                        + ") or use another --cluster", null);
            }
            return Optional.of(toNodeVolume(v));
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }

    private String clusterOf(String name) {
        Map<String, String> labels = docker.inspectVolumeCmd(name).exec().getLabels();
        return labels == null ? null : labels.get(Labels.CLUSTER);
    }

    private static NodeVolume toNodeVolume(InspectVolumeResponse v) {
        Map<String, String> labels = v.getLabels();
        return new NodeVolume(v.getName(), labels.get(Labels.NODE),
                Integer.parseInt(labels.getOrDefault(Labels.NODE_INDEX, "-1")),
                Integer.parseInt(labels.getOrDefault(Labels.PG_PORT, "0")),
                Integer.parseInt(labels.getOrDefault(Labels.RPC_PORT, "0")));
    }

    private List<InspectVolumeResponse> volumes(String cluster) {
        List<InspectVolumeResponse> volumes = docker.listVolumesCmd()
                .withFilter("label", Labels.clusterFilter(cluster)).exec().getVolumes();
        return volumes == null ? List.of() : volumes;
    }

    /**
     * Host ports free on 127.0.0.1 now and not kept by any pgmesh volume (of any cluster: a node that is
     * down does not hold its ports, but will want them back).
     */
    private int[] freePorts(int count) {
        Set<Integer> kept = new HashSet<>();
        List<InspectVolumeResponse> all = docker.listVolumesCmd().withFilter("label", List.of(Labels.PG_PORT))
                .exec().getVolumes();
        for (InspectVolumeResponse v : all == null ? List.<InspectVolumeResponse>of() : all) {
            kept.add(Integer.parseInt(v.getLabels().getOrDefault(Labels.PG_PORT, "0")));
            kept.add(Integer.parseInt(v.getLabels().getOrDefault(Labels.RPC_PORT, "0")));
        }
        int[] ports = new int[count];
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int port;
            int tries = 0;
            do {
                port = ephemeralPort();
                if (++tries > 100) {
                    throw new IllegalStateException("no free host port on 127.0.0.1 after 100 tries");
                }
            } while (kept.contains(port) || !picked.add(port));
            ports[i] = port;
        }
        return ports;
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
