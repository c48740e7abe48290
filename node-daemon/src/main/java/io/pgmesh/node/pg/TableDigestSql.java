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
    /** Alias of the one-row relation carrying the parameters (upper case, as {@link #ROW}). */
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

    /**
     * A table's row count and the sum of its rows' hashes (as text): one figure of its content that does not depend
     * on row order, comparable across nodes when read under {@link #SNAPSHOT_SETTINGS}.
     */
    public static String tableChecksum(String table) {
        return "SELECT count(*), coalesce(sum(" + rowHash() + "::numeric), 0)::text FROM " + Sql.table(table) + " AS "
                + ROW;
    }

    /** The 64-bit hash of the whole row, as bigint. */
    static String rowHash() {
        return hash(ROW + "::text");
    }

    /** The first 64 bits of md5 of a text, as bigint. */
    private static String hash(String text) {
        return "('x' || substr(md5(" + text + "), 1, 16))::bit(64)::bigint";
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
     * Whether a change stamped {@code ts} by node {@code by} falls in the window compared: at or after its
     * origin's {@code since} (an origin without one, or an empty array: every change).
     */
    static String inWindow(String ts, String by) {
        return "(" + ts + " >= coalesce(" + PARAMETERS + ".since[" + by + " + 1], '-infinity'::timestamptz))";
    }

    /**
     * The statement's parameters as a one-row CTE: 1, the bucket count; 2, the settled cutoffs and 3,
     * the window starts, each a text[] of ISO instants indexed by origin node index + 1 (nulls for
     * origins without one; empty for none).
     */
    private static String parameters() {
        return "WITH " + PARAMETERS + " AS (SELECT CAST(? AS integer) AS n,"
                + " CAST(CAST(? AS text[]) AS timestamptz[]) AS cutoffs,"
                + " CAST(CAST(? AS text[]) AS timestamptz[]) AS since) ";
    }

    /**
     * Key, bucket, hash, settledness and whether it is in the window, of every row. In a window
     * ({@code windowed}), a key whose newest delete is settled and in the window and that has no row
     * is listed too, with a hash of that delete: otherwise a node that missed the delete, and still
     * holds a version from before the window, would compare equal to the nodes that made it.
     */
    private static String hashedRows(String table, String keyColumn, boolean windowed) {
        String key = ROW + "." + Sql.ident(keyColumn);
        String ts = ROW + "." + Sql.ident(TableDdl.MODIFIED_TS);
        String by = ROW + "." + Sql.ident(TableDdl.MODIFIED_BY);
        String rows = "SELECT " + key + " AS id, " + bucketOf(key) + " AS bucket, " + rowHash() + " AS hash, "
                + settled(ts, by) + " AS settled, " + inWindow(ts, by) + " AS in_window FROM " + Sql.table(table)
                + " AS " + ROW + " CROSS JOIN " + PARAMETERS;
        if (!windowed) {
            return rows;
        }
        String deleted = "t.\"deleted_ts\"";
        String deletedBy = "t.\"deleted_by\"";
        return rows + " UNION ALL SELECT t.\"id\", " + bucketOf("t.\"id\"") + ", "
                + hash("'deleted ' || t.\"id\" || ' at ' || " + deleted + " || ' by ' || " + deletedBy)
                + ", true, true FROM (SELECT DISTINCT ON (\"id\") \"id\", \"deleted_ts\", \"deleted_by\" FROM "
                + Sql.table(ConflictDdl.tombstoneTable(table)) + " ORDER BY \"id\", \"deleted_ts\" DESC,"
                + " \"deleted_by\" DESC) AS t CROSS JOIN " + PARAMETERS + " WHERE " + settled(deleted, deletedBy)
                + " AND " + inWindow(deleted, deletedBy) + " AND NOT EXISTS (SELECT 1 FROM " + Sql.table(table)
                + " AS \"Present\" WHERE \"Present\"." + Sql.ident(keyColumn) + " = t.\"id\")";
    }

    /**
     * Rows (bigint) and checksum (numeric) of each non-empty bucket of the settled rows in the window,
     * ordered by bucket, without the keys left out. Parameters: see {@link #parameters()}, then 4, the
     * keys left out (bigint[], may be empty): an anti-join on them, so a long list costs one hash table.
     */
    public static String bucketDigests(String table, String keyColumn, boolean windowed) {
        return parameters() + "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM ("
                + hashedRows(table, keyColumn, windowed) + ") AS hashed WHERE hashed.settled AND hashed.in_window"
                + " AND NOT EXISTS (SELECT 1 FROM unnest(CAST(? AS bigint[])) AS \"LeftOut\"(id)"
                + " WHERE \"LeftOut\".id = hashed.id)"
                + " GROUP BY hashed.bucket ORDER BY hashed.bucket";
    }

    /**
     * Keys with an unsettled version in the table or an unsettled delete in its tombstones, ordered,
     * at most {@code limit} (parameter 4) of them. Cheap: no row is hashed. Parameters: see
     * {@link #parameters()}, then 4, the limit.
     */
    public static String unsettledKeys(String table, String keyColumn) {
        String key = ROW + "." + Sql.ident(keyColumn);
        return parameters() + "SELECT u.id FROM (SELECT " + key + " AS id FROM " + Sql.table(table) + " AS " + ROW
                + " CROSS JOIN " + PARAMETERS + " WHERE NOT " + settled(ROW + "." + Sql.ident(TableDdl.MODIFIED_TS),
                ROW + "." + Sql.ident(TableDdl.MODIFIED_BY)) + " UNION SELECT t.\"id\" FROM "
                + Sql.table(ConflictDdl.tombstoneTable(table)) + " AS t CROSS JOIN " + PARAMETERS + " WHERE NOT "
                + settled("t.\"deleted_ts\"", "t.\"deleted_by\"") + ") AS u ORDER BY 1 LIMIT CAST(? AS integer)";
    }

    /**
     * Key, hash and settledness of the rows in some buckets that are unsettled or in the window,
     * ordered by key. Parameters: see {@link #parameters()}, then 4, the bucket indexes (integer[]).
     */
    public static String rowHashes(String table, String keyColumn, boolean windowed) {
        return parameters() + "SELECT hashed.id, hashed.hash, hashed.settled FROM ("
                + hashedRows(table, keyColumn, windowed) + ") AS hashed WHERE hashed.bucket = ANY (CAST(? AS integer[]))"
                + " AND (hashed.in_window OR NOT hashed.settled) ORDER BY hashed.id";
    }

    /**
     * Keys in some buckets with an unsettled delete in the table's tombstones, ordered. Parameters:
     * see {@link #parameters()}, then 4, the bucket indexes (integer[]).
     */
    public static String unsettledDeletes(String table) {
        return parameters() + "SELECT DISTINCT t.\"id\" FROM " + Sql.table(ConflictDdl.tombstoneTable(table))
                + " AS t CROSS JOIN " + PARAMETERS + " WHERE " + bucketOf("t.\"id\"") + " = ANY (CAST(? AS integer[]))"
                + " AND NOT " + settled("t.\"deleted_ts\"", "t.\"deleted_by\"") + " ORDER BY 1";
    }

    /** The highest key of the table (bigint), NULL when it is empty. No parameters. */
    public static String maxKey(String table, String keyColumn) {
        return "SELECT max(" + Sql.ident(keyColumn) + ") FROM " + Sql.table(table);
    }
}
