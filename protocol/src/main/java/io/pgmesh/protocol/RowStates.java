package io.pgmesh.protocol;

import java.util.List;

/** One node's state of the requested keys, in the order asked (absent keys included, with a null row). */
public record RowStates(String node, String table, List<RowState> rows) {
    public RowStates {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }
}
