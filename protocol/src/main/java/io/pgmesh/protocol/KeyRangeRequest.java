package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node to let each table's key sequence continue after the highest key of the node's own range that the
 * table holds: a node rebuilt from a copy (resync) gets its own earlier rows back and must never reuse their keys.
 *
 * @param database database of the tables
 * @param tables   the replicated tables
 */
public record KeyRangeRequest(String database, List<String> tables) {
    public KeyRangeRequest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
