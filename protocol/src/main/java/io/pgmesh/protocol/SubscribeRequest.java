package io.pgmesh.protocol;

import java.util.List;

/**
 * Subscribe this node to a peer's publications, one subscription per table.
 *
 * @param database    database of the tables
 * @param tables      names of the replicated tables
 * @param peer        the peer to subscribe to
 * @param replication login used on the peer
 * @param options     how to create the subscriptions; null: {@link SubscriptionOptions#DEFAULT}
 */
public record SubscribeRequest(String database, List<String> tables, TopologyHost peer, Credentials replication,
                               SubscriptionOptions options) {
    public SubscribeRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
        options = options == null ? SubscriptionOptions.DEFAULT : options;
    }

    /** A mesh member's subscription: no copy, its own slot, streaming. */
    public SubscribeRequest(String database, List<String> tables, TopologyHost peer, Credentials replication) {
        this(database, tables, peer, replication, SubscriptionOptions.DEFAULT);
    }
}
