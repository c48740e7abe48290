package io.pgmesh.orchestrator.swarm;

import io.pgmesh.orchestrator.docker.Labels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a node lives on the Swarm, fixed when it is first created and kept until its data is deleted: its host
 * (the data volume is local to it) and the host ports its PostgreSQL and daemon are published on.
 */
record Placement(String cluster, String node, int index, String hostId, String hostname, int pgPort, int rpcPort) {

    static final String HOST_ID = "io.pgmesh.host-id";
    static final String HOSTNAME = "io.pgmesh.hostname";
    static final String KIND = "io.pgmesh.record";

    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(Labels.forNode(cluster, node, index));
        labels.put(KIND, "placement");
        labels.put(HOST_ID, hostId);
        labels.put(HOSTNAME, hostname);
        labels.put(Labels.PG_PORT, Integer.toString(pgPort));
        labels.put(Labels.RPC_PORT, Integer.toString(rpcPort));
        return labels;
    }

    /** The record in {@code labels}, or null when they are not a complete placement. */
    static Placement of(Map<String, String> labels) {
        if (labels == null || !"placement".equals(labels.get(KIND))) {
            return null;
        }
        try {
            return new Placement(labels.get(Labels.CLUSTER), labels.get(Labels.NODE),
                    Integer.parseInt(labels.get(Labels.NODE_INDEX)), labels.get(HOST_ID), labels.get(HOSTNAME),
                    Integer.parseInt(labels.get(Labels.PG_PORT)), Integer.parseInt(labels.get(Labels.RPC_PORT)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The node's data volume on its host. */
    String volumeName() {
        return cluster + "-" + node + "-data";
    }
}
