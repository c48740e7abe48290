package io.pgmesh.protocol;

import java.util.List;

/**
 * Row count and checksum of a table on one node. The checksum is the sum, as a decimal string, of
 * a 64-bit hash of every row's full text (all columns, timestamps rendered in UTC), so it does not
 * depend on row order.
 */
public record TableDigest(String node, String table, long rows, String checksum, List<BucketDigest> buckets) {
    public TableDigest {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }
}
