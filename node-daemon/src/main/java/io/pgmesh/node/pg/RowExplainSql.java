package io.pgmesh.node.pg;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** SQL of explainRow and the text form of its timestamps: pure functions. */
public final class RowExplainSql {

    /** Most tombstones and conflict records one explanation lists. */
    public static final int LIMIT = 100;

    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private RowExplainSql() {
    }

    /**
     * The row's system columns (created_ts, modified_ts, modified_by, prev_modified_ts,
     * prev_modified_by), then each user column as text. Parameter 1: the key.
     */
    public static String row(String table, String keyColumn, List<String> userColumns) {
        String values = userColumns.stream().map(c -> ", " + Sql.ident(c) + "::text")
                .collect(Collectors.joining());
        return "SELECT " + Sql.ident(TableDdl.CREATED_TS) + ", " + Sql.ident(TableDdl.MODIFIED_TS) + ", "
                + Sql.ident(TableDdl.MODIFIED_BY) + ", " + Sql.ident(TableDdl.PREV_MODIFIED_TS) + ", "
                + Sql.ident(TableDdl.PREV_MODIFIED_BY) + values + " FROM " + Sql.table(table)
                + " WHERE " + Sql.ident(keyColumn) + " = ?";
    }

    /**
     * The key, then the columns of {@link #row} for many keys. Parameter 1: the keys (bigint[]).
     */
    public static String rows(String table, String keyColumn, List<String> userColumns) {
        String values = userColumns.stream().map(c -> ", " + Sql.ident(c) + "::text")
                .collect(Collectors.joining());
        return "SELECT " + Sql.ident(keyColumn) + ", " + Sql.ident(TableDdl.CREATED_TS) + ", "
                + Sql.ident(TableDdl.MODIFIED_TS) + ", " + Sql.ident(TableDdl.MODIFIED_BY) + ", "
                + Sql.ident(TableDdl.PREV_MODIFIED_TS) + ", " + Sql.ident(TableDdl.PREV_MODIFIED_BY) + values
                + " FROM " + Sql.table(table) + " WHERE " + Sql.ident(keyColumn) + " = ANY (CAST(? AS bigint[]))";
    }

    /**
     * The key, then the columns of {@link #tombstones}, of many keys: each key's newest {@value #LIMIT}
     * deletes, newest first. Parameter 1: the keys (bigint[]).
     */
    public static String tombstonesOf(String table) {
        return "SELECT t.\"id\", t.\"deleted_ts\", t.\"deleted_by\", t.\"row_modified_ts\", t.\"row_modified_by\""
                + " FROM (SELECT *, row_number() OVER (PARTITION BY \"id\" ORDER BY \"deleted_ts\" DESC,"
                + " \"deleted_by\" DESC) AS \"rank\" FROM " + Sql.table(ConflictDdl.tombstoneTable(table))
                + " WHERE \"id\" = ANY (CAST(? AS bigint[]))) AS t WHERE t.\"rank\" <= " + LIMIT
                + " ORDER BY t.\"id\", t.\"deleted_ts\" DESC, t.\"deleted_by\" DESC";
    }

    /** The key's tombstones, newest first. Parameter 1: the key. */
    public static String tombstones(String table) {
        return "SELECT \"deleted_ts\", \"deleted_by\", \"row_modified_ts\", \"row_modified_by\" FROM "
                + Sql.table(ConflictDdl.tombstoneTable(table))
                + " WHERE \"id\" = ? ORDER BY \"deleted_ts\" DESC, \"deleted_by\" DESC LIMIT " + LIMIT;
    }

    /** The latest conflict records of a row, oldest first. Parameters: the table name, the key. */
    public static String conflicts() {
        return "SELECT c.\"table_name\", c.\"id\", c.\"kind\", c.\"local_version\", c.\"remote_version\","
                + " c.\"winner\", c.\"resolved_at\" FROM (SELECT * FROM " + Sql.table(ConflictDdl.CONFLICTS_TABLE)
                + " WHERE \"table_name\" = ? AND \"id\" = ? ORDER BY \"seq\" DESC LIMIT " + LIMIT
                + ") AS c ORDER BY c.\"seq\"";
    }

    /** An instant as ISO-8601 UTC with microseconds, e.g. 2026-11-24T22:40:01.123456Z; null stays null. */
    public static String iso(OffsetDateTime time) {
        return time == null ? null : iso(time.toInstant());
    }

    /** An instant as ISO-8601 UTC with microseconds; null stays null. */
    public static String iso(java.time.Instant time) {
        return time == null ? null : ISO_MICROS.format(time);
    }
}
