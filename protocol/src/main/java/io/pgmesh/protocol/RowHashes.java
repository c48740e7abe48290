package io.pgmesh.protocol;

import java.util.List;

/**
 * Per-row hashes of the requested buckets: each settled row's key and the hash used in its digest,
 * and the keys this node holds an unsettled version or delete of (empty when no cutoffs were given).
 */
public record RowHashes(String node, String table, List<RowHash> rows, List<Long> unsettledIds) {
    public RowHashes {
        rows = rows == null ? List.of() : List.copyOf(rows);
        unsettledIds = unsettledIds == null ? List.of() : List.copyOf(unsettledIds);
    }

    public RowHashes(String node, String table, List<RowHash> rows) {
        this(node, table, rows, List.of());
    }

    /** One row: its primary key and the 64-bit hash of its full text, as a decimal string. */
    public record RowHash(long id, String hash) {
    }
}
