package io.pgmesh.protocol;

import java.util.List;

/** Enable or disable this node's subscriptions to {@code peer}, one per table. */
public record EnableRequest(String database, List<String> tables, String peer, boolean enabled) {
    public EnableRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
