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

    /** floor_mod(key, buckets), with the bucket count from {@link #PARAMETERS}. */
    static String bucket(String keyColumn) {
        String key = ROW + "." + Sql.ident(keyColumn);
        return "((" + key + " % " + PARAMETERS + ".n) + " + PARAMETERS + ".n) % " + PARAMETERS + ".n";
    }

    /** Key, bucket and hash of every row; the one parameter is the bucket count. */
    private static String hashedRows(String table, String keyColumn) {
        return "SELECT " + ROW + "." + Sql.ident(keyColumn) + " AS id, " + bucket(keyColumn) + " AS bucket, "
                + rowHash() + " AS hash FROM " + Sql.table(table) + " AS " + ROW
                + " CROSS JOIN (SELECT CAST(? AS integer) AS n) AS " + PARAMETERS;
    }

    /**
     * Rows (bigint) and checksum (numeric) of each non-empty bucket, ordered by bucket.
     * Parameter 1: the bucket count.
     */
    public static String bucketDigests(String table, String keyColumn) {
        return "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM (" + hashedRows(table, keyColumn)
                + ") AS hashed GROUP BY hashed.bucket ORDER BY hashed.bucket";
    }

    /**
     * Key and hash of the rows in some buckets, ordered by key. Parameter 1: the bucket count;
     * parameter 2: the bucket indexes (integer[]).
     */
    public static String rowHashes(String table, String keyColumn) {
        return "SELECT hashed.id, hashed.hash FROM (" + hashedRows(table, keyColumn)
                + ") AS hashed WHERE hashed.bucket = ANY (CAST(? AS integer[])) ORDER BY hashed.id";
    }

    /** The highest key of the table (bigint), NULL when it is empty. No parameters. */
    public static String maxKey(String table, String keyColumn) {
        return "SELECT max(" + Sql.ident(keyColumn) + ") FROM " + Sql.table(table);
    }
}
