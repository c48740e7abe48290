package io.pgmesh.protocol;

import java.util.List;

/**
 * A node's view of itself.
 *
 * @param node            node name, null before updateNetworkTopology
 * @param index           node index, -1 before updateNetworkTopology
 * @param cluster         cluster name, null before updateNetworkTopology
 * @param postgresUp      whether PostgreSQL accepts connections
 * @param postgresVersion server_version, null when down
 * @param database        the replicated database, null before initDatabase
 * @param publications    this node's publications
 * @param subscriptions   this node's subscriptions to its peers
 * @param conflicts       conflicts this node resolved while applying peers' changes, per table
 * @param rows            rows of each table this node publishes; empty when not counted (an older daemon, no
 *                        database yet, or an initial copy still running)
 * @param protocolVersion the {@link NodeRpc#PROTOCOL_VERSION} the daemon speaks (0: a daemon from before versions)
 * @param pgmeshVersion   the pgmesh release of the daemon (null: a daemon from before versions)
 * @param tls             the TLS material the node uses (null: a daemon from before TLS)
 */
public record NodeStatus(String node, int index, String cluster, boolean postgresUp, String postgresVersion,
                         String database, List<PublicationInfo> publications,
                         List<SubscriptionInfo> subscriptions, java.util.Map<String, Long> conflicts,
                         List<TableRows> rows, int protocolVersion, String pgmeshVersion, TlsState tls) {

    /**
     * The node's installed TLS material.
     *
     * @param generation          its generation (higher: issued later)
     * @param certificateNotAfter when the node's server certificate expires (ISO-8601 instant)
     * @param certificateSerial   the server certificate's serial number, hex
     */
    public record TlsState(long generation, String certificateNotAfter, String certificateSerial) {
    }

    /** A status without TLS state. */
    public NodeStatus(String node, int index, String cluster, boolean postgresUp, String postgresVersion,
                      String database, List<PublicationInfo> publications, List<SubscriptionInfo> subscriptions,
                      java.util.Map<String, Long> conflicts, List<TableRows> rows, int protocolVersion,
                      String pgmeshVersion) {
        this(node, index, cluster, postgresUp, postgresVersion, database, publications, subscriptions, conflicts, rows,
                protocolVersion, pgmeshVersion, null);
    }

    /** This status with {@code state} as its TLS state. */
    public NodeStatus withTls(TlsState state) {
        return new NodeStatus(node, index, cluster, postgresUp, postgresVersion, database, publications, subscriptions,
                conflicts, rows, protocolVersion, pgmeshVersion, state);
    }

    /** A status of a daemon of this release. */
    public NodeStatus(String node, int index, String cluster, boolean postgresUp, String postgresVersion,
                      String database, List<PublicationInfo> publications, List<SubscriptionInfo> subscriptions,
                      java.util.Map<String, Long> conflicts, List<TableRows> rows) {
        this(node, index, cluster, postgresUp, postgresVersion, database, publications, subscriptions, conflicts, rows,
                NodeRpc.PROTOCOL_VERSION, PgMeshVersion.VERSION);
    }

    /**
     * How many rows a table holds.
     *
     * @param table the table
     * @param rows  the exact count when {@code exact}; otherwise PostgreSQL's estimate (pg_class.reltuples), and at
     *              least the limit up to which the daemon counts
     * @param exact whether {@code rows} was counted
     */
    public record TableRows(String table, long rows, boolean exact) {
    }

    public NodeStatus {
        conflicts = conflicts == null ? java.util.Map.of() : java.util.Map.copyOf(conflicts);
        publications = publications == null ? List.of() : List.copyOf(publications);
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** Without row counts (as an older daemon answers). */
    public NodeStatus(String node, int index, String cluster, boolean postgresUp, String postgresVersion,
                      String database, List<PublicationInfo> publications, List<SubscriptionInfo> subscriptions,
                      java.util.Map<String, Long> conflicts) {
        this(node, index, cluster, postgresUp, postgresVersion, database, publications, subscriptions, conflicts,
                List.of());
    }

    /** Conflicts resolved on this node over all tables. */
    public long conflictCount() {
        return conflicts.values().stream().mapToLong(Long::longValue).sum();
    }
}
