package io.pgmesh.protocol;

import java.util.List;

/** Something this node does about one peer, for each table (e.g. drop its subscriptions to it). */
public record PeerRequest(String database, List<String> tables, String peer) {
    public PeerRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
