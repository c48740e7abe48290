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
 */
public record NodeStatus(String node, int index, String cluster, boolean postgresUp, String postgresVersion,
                         String database, List<PublicationInfo> publications,
                         List<SubscriptionInfo> subscriptions) {
    public NodeStatus {
        publications = publications == null ? List.of() : List.copyOf(publications);
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
    }
}
