package io.pgmesh.protocol;

/**
 * Ask a node for an order-independent digest of a replicated table.
 *
 * @param database database of the table
 * @param table    the table
 * @param buckets  rows are also digested per bucket {@code floor_mod(id, buckets)} (1..4096), so
 *                 that divergent rows can be located without shipping the whole table
 * @param settled  when set, only rows whose version is settled under these cutoffs are digested
 *                 (null: every row)
 */
public record DigestRequest(String database, String table, int buckets, SettledCutoffs settled) {

    /** A digest of every row. */
    public DigestRequest(String database, String table, int buckets) {
        this(database, table, buckets, null);
    }
}
