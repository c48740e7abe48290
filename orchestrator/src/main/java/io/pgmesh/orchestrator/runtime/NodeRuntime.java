package io.pgmesh.orchestrator.runtime;

import io.pgmesh.orchestrator.config.SysConfig;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a cluster's nodes run: everything the use cases need from it, and nothing of how. Every
 * object a runtime creates belongs to one cluster by name, and every state is read back from the
 * runtime itself (no local state file). {@code DockerRuntime} runs nodes as containers on one engine.
 */
public interface NodeRuntime {

    // ---- the cluster's network ----

    /**
     * Before anything is created: the network and the named node containers can be created as configured (no name
     * held by something that is not this cluster's, no subnet overlapping another network).
     */
    void preflight(String cluster, String networkName, SysConfig config, Set<String> containerNames);

    /** Creates the cluster's network unless it has one, recording the node count it was created for. */
    void ensureNetwork(String cluster, String networkName, String subnetCidr, String gateway, int targetNodes);

    boolean hasNetwork(String cluster);

    /** The node count recorded when the network was created; empty without a network or a record. */
    Optional<Integer> targetNodes(String cluster);

    /** Removes the cluster's network(s); returns their names. Data and retired-index records stay. */
    List<String> removeNetwork(String cluster);

    // ---- nodes ----

    /** The cluster's nodes, running or not, with their state and addresses, ordered by index. */
    List<NodeContainer> list(String cluster);

    /** A node's fresh view. */
    NodeContainer inspect(String containerId);

    /**
     * Creates and starts a node on its data: the node's kept {@link NodeVolume} when it has one (same data,
     * same host ports), else a new one.
     */
    NodeContainer create(NodeContainerSpec spec);

    /** The image the node's container was created from (a reference {@link #create} accepts). */
    String imageOf(NodeContainer node);

    /** Whether the node's container runs exactly {@code image} (the same image, not only the same name). */
    boolean runsImage(NodeContainer node, String image);

    /**
     * Makes a node image built on the local engine available where this runtime runs nodes; returns the reference
     * {@link #create} takes (on one engine: the local image itself).
     */
    default String publishImage(String localImage) {
        return localImage;
    }

    /** Starts an existing node (no-op when it runs); returns its fresh view. */
    NodeContainer start(String containerId);

    /** Stops a node; its data stays, {@link #start} brings it back. */
    void stop(NodeContainer node);

    /** Removes one node's container (already gone is fine); its data stays ({@link #removeVolume}). */
    void remove(NodeContainer node);

    /** Removes every node container of the cluster; returns their names. Their data stays. */
    List<String> removeAll(String cluster);

    // ---- node data: outlives the containers ----

    /** The data volumes of the cluster's nodes, in use or kept, ordered by index. */
    List<NodeVolume> volumes(String cluster);

    /** Deletes one node's data (its container must be gone first); already gone is fine. */
    void removeVolume(String cluster, String node);

    /** Deletes every node's data and the retired-index records of the cluster; returns the volumes' names. */
    List<String> removeData(String cluster);

    // ---- reaching a node ----

    /**
     * How peers reach a node on the cluster network, known before the node exists: its configured static address on
     * one engine; its service name on a runtime that gives a recreated node a new address.
     */
    default String peerAddress(String containerName, String configuredAddress) {
        return configuredAddress;
    }

    /** Where the orchestrator reaches the node's daemon. */
    Endpoint rpcEndpoint(NodeContainer node);

    /** Where clients on this host reach the node's PostgreSQL. */
    Endpoint pgEndpoint(NodeContainer node);

    /**
     * Streams the node's log (daemon steps and PostgreSQL messages) line by line: the last {@code tail} lines (all
     * when null), then with {@code follow} every new line until the node stops.
     */
    void streamLogs(NodeContainer node, Integer tail, boolean follow,
                    java.util.function.Consumer<io.pgmesh.orchestrator.docker.ContainerLogs.LogLine> sink)
            throws InterruptedException;

    /** The last lines of the node's log (daemon steps and PostgreSQL messages). */
    List<String> lastLogLines(String containerId, int lines);

    // ---- retired indexes: a removed node's key range is never reused ----

    void retire(String cluster, String node, int index);

    Set<Integer> retiredIndexes(String cluster);
}
