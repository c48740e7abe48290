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

    /** Removes the cluster's network(s) and its retired-index records; returns the networks' names. */
    List<String> removeNetwork(String cluster);

    // ---- nodes ----

    /** The cluster's nodes, running or not, with their state and addresses, ordered by index. */
    List<NodeContainer> list(String cluster);

    /** A node's fresh view. */
    NodeContainer inspect(String containerId);

    /** Creates and starts a node. */
    NodeContainer create(NodeContainerSpec spec);

    /** Starts an existing node (no-op when it runs); returns its fresh view. */
    NodeContainer start(String containerId);

    /** Stops a node; its data stays, {@link #start} brings it back. */
    void stop(NodeContainer node);

    /** Removes one node (already gone is fine). */
    void remove(NodeContainer node);

    /** Removes every node of the cluster; returns their names. */
    List<String> removeAll(String cluster);

    // ---- reaching a node ----

    /** Where the orchestrator reaches the node's daemon. */
    Endpoint rpcEndpoint(NodeContainer node);

    /** Where clients on this host reach the node's PostgreSQL. */
    Endpoint pgEndpoint(NodeContainer node);

    /** The last lines of the node's log (daemon steps and PostgreSQL messages). */
    List<String> lastLogLines(String containerId, int lines);

    // ---- retired indexes: a removed node's key range is never reused ----

    void retire(String cluster, String node, int index);

    Set<Integer> retiredIndexes(String cluster);
}
