package io.pgmesh.protocol;

import java.util.List;

/** Per-row hashes of the requested buckets: each row's key and the hash used in its digest. */
public record RowHashes(String node, String table, List<RowHash> rows) {
    public RowHashes {
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** One row: its primary key and the 64-bit hash of its full text, as a decimal string. */
    public record RowHash(long id, String hash) {
    }
}
