package io.pgmesh.protocol;

import java.util.List;

/**
 * Subscribe this node to a peer's publications, one subscription per table.
 *
 * @param database    database of the tables
 * @param tables      names of the replicated tables
 * @param peer        the peer to subscribe to
 * @param replication login used on the peer
 */
public record SubscribeRequest(String database, List<String> tables, TopologyHost peer, Credentials replication) {
    public SubscribeRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
