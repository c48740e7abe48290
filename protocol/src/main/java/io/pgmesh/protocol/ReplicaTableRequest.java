package io.pgmesh.protocol;

/**
 * Create a replicated table on the node and wire it into the mesh.
 *
 * @param database    database holding the table (created by initDatabase)
 * @param table       the table
 * @param replication login the node's subscriptions use on its peers
 * @param subscribeToEarlierNodes whether to subscribe to every node of lower index at once (as in
 *                    {@code up}); false for a node joining a live cluster, which subscribes step by
 *                    step; null means true
 */
public record ReplicaTableRequest(String database, TableSpec table, Credentials replication,
                                  Boolean subscribeToEarlierNodes) {
    public ReplicaTableRequest {
        subscribeToEarlierNodes = subscribeToEarlierNodes == null ? Boolean.TRUE : subscribeToEarlierNodes;
    }

    /** Create the table and subscribe to every node of lower index (as in {@code up}). */
    public ReplicaTableRequest(String database, TableSpec table, Credentials replication) {
        this(database, table, replication, Boolean.TRUE);
    }
}
