package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node for the per-row hashes of some buckets of a table (see {@link DigestRequest}).
 *
 * @param database      database of the table
 * @param table         the table
 * @param buckets       number of buckets, as in the digest
 * @param bucketIndexes which buckets to list (at most 256 per call)
 * @param settled       when set, only settled rows are hashed and the keys with an unsettled
 *                      version or delete are listed apart (null: every row is hashed)
 */
public record RowHashRequest(String database, String table, int buckets, List<Integer> bucketIndexes,
                             SettledCutoffs settled) {
    public RowHashRequest {
        bucketIndexes = bucketIndexes == null ? List.of() : List.copyOf(bucketIndexes);
    }

    /** Hashes of every row of the buckets. */
    public RowHashRequest(String database, String table, int buckets, List<Integer> bucketIndexes) {
        this(database, table, buckets, bucketIndexes, null);
    }
}
