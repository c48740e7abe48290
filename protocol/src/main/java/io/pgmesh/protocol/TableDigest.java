package io.pgmesh.protocol;

import java.util.List;

/**
 * Row count and checksum of a table on one node. The checksum is the sum, as a decimal string, of
 * a 64-bit hash of every row's full text (all columns, timestamps rendered in UTC), so it does not
 * depend on row order. {@code maxId} is the highest key (null for an empty table): it shows the
 * highest node index that ever wrote, so a new node never reuses a key range.
 */
public record TableDigest(String node, String table, long rows, String checksum, List<BucketDigest> buckets,
                          Long maxId) {
    public TableDigest {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }
}
