package io.pgmesh.protocol;

/**
 * Create a replicated table on the node and wire it into the mesh.
 *
 * @param database    database holding the table (created by initDatabase)
 * @param table       the table
 * @param replication login the node's subscriptions use on its peers
 */
public record ReplicaTableRequest(String database, TableSpec table, Credentials replication) {
}
