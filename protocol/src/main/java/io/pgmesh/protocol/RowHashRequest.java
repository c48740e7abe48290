package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node for the per-row hashes of some buckets of a table (see {@link DigestRequest}).
 *
 * @param database      database of the table
 * @param table         the table
 * @param buckets       number of buckets, as in the digest
 * @param bucketIndexes which buckets to list (at most 256 per call)
 */
public record RowHashRequest(String database, String table, int buckets, List<Integer> bucketIndexes) {
    public RowHashRequest {
        bucketIndexes = bucketIndexes == null ? List.of() : List.copyOf(bucketIndexes);
    }
}
