package io.pgmesh.node.pg;

import java.util.List;

/**
 * SQL of the table digest and the per-row hashes: pure functions. Both hash every row the same
 * way, so the hashes of a bucket's rows add up to that bucket's checksum.
 *
 * <p>A row's hash is the first 64 bits of md5 of the whole row's text, as a signed bigint. The
 * text depends on session settings, so {@link #SNAPSHOT_SETTINGS} pin them for every node.
 */
public final class TableDigestSql {

    /**
     * Alias of the table. It is upper case, which {@link io.pgmesh.protocol.SqlNames} forbids for
     * column names, so no user column can shadow the whole-row reference {@code "Row"::text}.
     */
    static final String ROW = "\"Row\"";
    /** Alias of the one-row relation carrying the bucket count parameter (upper case, as {@link #ROW}). */
    static final String PARAMETERS = "\"Parameters\"";

    /**
     * First statements of the digest transaction: one consistent read-only snapshot and the
     * settings that make every column's text form identical on every node.
     */
    public static final List<String> SNAPSHOT_SETTINGS = List.of(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            "SET LOCAL TimeZone = 'UTC'",
            "SET LOCAL DateStyle = 'ISO, YMD'",
            "SET LOCAL IntervalStyle = 'postgres'",
            "SET LOCAL extra_float_digits = 3",
            "SET LOCAL bytea_output = 'hex'");

    private TableDigestSql() {
    }

    /** The 64-bit hash of the whole row, as bigint. */
    static String rowHash() {
        return "('x' || substr(md5(" + ROW + "::text), 1, 16))::bit(64)::bigint";
    }

    /** floor_mod(expression, buckets), with the bucket count from {@link #PARAMETERS}. */
    static String bucketOf(String expression) {
        return "((" + expression + " % " + PARAMETERS + ".n) + " + PARAMETERS + ".n) % " + PARAMETERS + ".n";
    }

    /**
     * Whether a change stamped {@code ts} by node {@code by} is settled: stamped before its origin's
     * cutoff in {@link #PARAMETERS}{@code .cutoffs} (indexed by node index + 1); an origin without a
     * cutoff (or an empty array) has only settled changes.
     */
    static String settled(String ts, String by) {
        return "(" + ts + " < coalesce(" + PARAMETERS + ".cutoffs[" + by + " + 1], 'infinity'::timestamptz))";
    }

    /**
     * The one-row relation of the parameters: 1, the bucket count; 2, the settled cutoffs as a text[]
     * of ISO instants indexed by origin node index + 1 (nulls for origins without one; empty for none).
     */
    private static String parameters() {
        return "(SELECT CAST(? AS integer) AS n, CAST(CAST(? AS text[]) AS timestamptz[]) AS cutoffs) AS " + PARAMETERS;
    }

    /** Key, bucket, hash and settledness of every row; parameters as {@link #parameters()}. */
    private static String hashedRows(String table, String keyColumn) {
        String key = ROW + "." + Sql.ident(keyColumn);
        return "SELECT " + key + " AS id, " + bucketOf(key) + " AS bucket, " + rowHash() + " AS hash, "
                + settled(ROW + "." + Sql.ident(TableDdl.MODIFIED_TS), ROW + "." + Sql.ident(TableDdl.MODIFIED_BY))
                + " AS settled FROM " + Sql.table(table) + " AS " + ROW + " CROSS JOIN " + parameters();
    }

    /**
     * Rows (bigint) and checksum (numeric) of each non-empty bucket of the settled rows, ordered by
     * bucket. Parameters: the bucket count, the cutoffs (see {@link #parameters()}).
     */
    public static String bucketDigests(String table, String keyColumn) {
        return "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM (" + hashedRows(table, keyColumn)
                + ") AS hashed WHERE hashed.settled GROUP BY hashed.bucket ORDER BY hashed.bucket";
    }

    /**
     * Key, hash and settledness of the rows in some buckets, ordered by key. Parameters: the bucket
     * count, the cutoffs, the bucket indexes (integer[]).
     */
    public static String rowHashes(String table, String keyColumn) {
        return "SELECT hashed.id, hashed.hash, hashed.settled FROM (" + hashedRows(table, keyColumn)
                + ") AS hashed WHERE hashed.bucket = ANY (CAST(? AS integer[])) ORDER BY hashed.id";
    }

    /**
     * Keys in some buckets with an unsettled delete in the table's tombstones, ordered. Parameters:
     * the bucket count, the cutoffs, the bucket indexes (integer[]).
     */
    public static String unsettledDeletes(String table) {
        return "SELECT DISTINCT t.\"id\" FROM " + Sql.table(ConflictDdl.tombstoneTable(table)) + " AS t CROSS JOIN "
                + parameters() + " WHERE " + bucketOf("t.\"id\"") + " = ANY (CAST(? AS integer[])) AND "
                + "NOT " + settled("t.\"deleted_ts\"", "t.\"deleted_by\"") + " ORDER BY 1";
    }

    /** The highest key of the table (bigint), NULL when it is empty. No parameters. */
    public static String maxKey(String table, String keyColumn) {
        return "SELECT max(" + Sql.ident(keyColumn) + ") FROM " + Sql.table(table);
    }
}
