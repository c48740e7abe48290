package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node for the state of many keys of a table at once (at most {@link #MAX_IDS}).
 *
 * @param database database of the table
 * @param table    the table
 * @param ids      the keys
 */
public record RowStatesRequest(String database, String table, List<Long> ids) {

    /** Most keys one call may ask for or repair. */
    public static final int MAX_IDS = 1000;

    public RowStatesRequest {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }
}
