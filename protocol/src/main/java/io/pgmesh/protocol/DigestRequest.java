package io.pgmesh.protocol;

import java.util.List;

/**
 * Ask a node for an order-independent digest of a replicated table.
 *
 * @param database database of the table
 * @param table    the table
 * @param buckets  rows are also digested per bucket {@code floor_mod(id, buckets)} (1..4096), so
 *                 that divergent rows can be located without shipping the whole table
 * @param settled  when set, only rows whose version is settled under these cutoffs are digested
 *                 (null: every row)
 * @param leftOut  keys to leave out of the digest (at most {@value #MAX_LEFT_OUT}; null or empty:
 *                 none): the keys any node holds an unsettled change of ({@link NodeRpc#unsettledKeys}),
 *                 so that a row being written does not make its bucket differ
 */
public record DigestRequest(String database, String table, int buckets, SettledCutoffs settled, List<Long> leftOut) {

    /** Most keys a request may leave out (a request frame is at most 1 MiB). */
    public static final int MAX_LEFT_OUT = 40_000;

    public DigestRequest {
        // not List.copyOf: a null key must reach the daemon's validation, which names it
        leftOut = leftOut == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(leftOut));
    }

    /** A digest of the settled rows (every row when {@code settled} is null). */
    public DigestRequest(String database, String table, int buckets, SettledCutoffs settled) {
        this(database, table, buckets, settled, List.of());
    }

    /** A digest of every row. */
    public DigestRequest(String database, String table, int buckets) {
        this(database, table, buckets, null, List.of());
    }
}
