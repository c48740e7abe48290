package io.pgmesh.protocol;

import java.util.List;

/**
 * Bring many rows of a table on this node to the state the conflict rules picked, in one
 * transaction, each applied as if it had been replicated (judged by the same triggers, never
 * forwarded to peers). At most {@link RowStatesRequest#MAX_IDS} rows.
 *
 * @param database database of the table
 * @param table    the table
 * @param rows     per key: the winning version (null: deleted) and every delete of the key known anywhere
 */
public record RepairRowsRequest(String database, String table, List<RowState> rows) {
    public RepairRowsRequest {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }
}
