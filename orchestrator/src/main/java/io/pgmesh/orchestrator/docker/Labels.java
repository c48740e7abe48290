package io.pgmesh.orchestrator.docker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Labels on everything pgmesh creates, so that finding and cleaning up is a label query. */
public final class Labels {

    public static final String CLUSTER = "io.pgmesh.cluster";
    public static final String NODE = "io.pgmesh.node";
    public static final String NODE_INDEX = "io.pgmesh.node-index";
    public static final String TARGET_NODES = "io.pgmesh.target-nodes";
    public static final String CONTENT_HASH = "io.pgmesh.content-hash";
    public static final String RETIRED_INDEX = "io.pgmesh.retired-index";
    /** On a node's data volume: the host ports the node publishes, kept across containers. */
    public static final String PG_PORT = "io.pgmesh.pg-port";
    public static final String RPC_PORT = "io.pgmesh.rpc-port";

    private Labels() {
    }

    public static Map<String, String> forNetwork(String cluster, int targetNodes) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, cluster);
        labels.put(TARGET_NODES, Integer.toString(targetNodes));
        return labels;
    }

    public static Map<String, String> forNode(String cluster, String node, int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, cluster);
        labels.put(NODE, node);
        labels.put(NODE_INDEX, Integer.toString(index));
        return labels;
    }

    /** The value for docker's {@code label} filter selecting one cluster's objects. */
    public static List<String> clusterFilter(String cluster) {
        return List.of(CLUSTER + "=" + cluster);
    }
}
