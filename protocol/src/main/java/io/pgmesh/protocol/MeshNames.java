package io.pgmesh.protocol;

/** Names of the replication objects, shared by daemon and orchestrator. */
public final class MeshNames {

    /** Size of each node's primary-key range: node i's keys start at i * KEY_RANGE + 1. */
    public static final long KEY_RANGE = 2147483647L;

    private MeshNames() {
    }

    public static String nodeName(int index) {
        return "node" + index;
    }

    public static String publication(String node, String table) {
        return "pub_" + node + "_" + table;
    }

    public static String subscription(String node, String peer, String table) {
        return "sub_" + node + "_" + peer + "_" + table;
    }

    /** First key of node {@code index}'s range. */
    public static long firstKey(int index) {
        return index * KEY_RANGE + 1;
    }

    /** Last key of node {@code index}'s range. */
    public static long lastKey(int index) {
        return (index + 1L) * KEY_RANGE;
    }
}
