package io.pgmesh.node.pg;

/**
 * DDL of what conflict resolution needs besides the per-table trigger functions: the per-table
 * tombstone table (published with the table) and the per-database, unpublished conflict log with
 * the function that writes it. Pure functions; the SQL is in {@code sql/conflicts/*.sql}.
 */
public final class ConflictDdl {

    /** The local conflict log; never published. */
    public static final String CONFLICTS_TABLE = "pgmesh_conflicts";
    /** Index of the conflict log by row, for explainRow. */
    public static final String CONFLICTS_INDEX = "pgmesh_conflicts_row";
    /** Function that records one resolved conflict; never raises. */
    public static final String LOG_FUNCTION = "pgmesh_log_conflict";
    /** Argument types of {@link #LOG_FUNCTION}, as in its regprocedure signature. */
    public static final String LOG_FUNCTION_ARGS =
            "text, bigint, text, timestamptz, integer, timestamptz, integer, text";
    /**
     * Trigger function on a tombstone table (ENABLE REPLICA: only replicated tombstones) taking
     * the key lock of {@link VersionTriggers} and skipping a tombstone the node already has (a
     * joining node receives some twice); its argument is the replicated table's name.
     */
    public static final String LOCK_FUNCTION = "pgmesh_lock_key";
    /** The trigger of {@link #LOCK_FUNCTION} on each tombstone table. */
    public static final String LOCK_TRIGGER = "pgmesh_lock";
    /** pg_trigger.tgenabled of a trigger that fires only in session_replication_role = replica. */
    public static final String ENABLED_REPLICA = "R";
    /** Prefix of a table's tombstone table; with it a table name of up to 45 characters fits in 63. */
    public static final String TOMBSTONES_PREFIX = "pgmesh_tombstones_";
    /** Local, unpublished: versions of other incarnations a node did not keep (see {@link #createShadowTable}). */
    public static final String SHADOWS_PREFIX = "pgmesh_shadows_";
    /** Prefix reserved for pgmesh's own objects: no replicated table may start with it. */
    public static final String RESERVED_PREFIX = "pgmesh_";
    /**
     * proconfig of every pgmesh function: a fixed search_path (the SECURITY DEFINER trigger
     * functions must not resolve anything through the caller's path; every name is qualified).
     */
    public static final String SEARCH_PATH_SETTING = "search_path=pg_catalog, pg_temp";

    private ConflictDdl() {
    }

    public static String tombstoneTable(String table) {
        return TOMBSTONES_PREFIX + table;
    }

    /**
     * Deletes of the table's rows, insert-only: one row per delete, keyed by (id, deleted_ts,
     * deleted_by), so tombstones from different nodes never conflict.
     */
    public static String createTombstoneTable(String table) {
        return SqlTemplate.resource("conflicts/tombstones_table.sql").table("tombstones", tombstoneTable(table)).render();
    }

    public static String shadowTable(String table) {
        return SHADOWS_PREFIX + table;
    }

    /**
     * Versions of another incarnation of a key that lost (or were replaced) on this node, one per
     * (key, incarnation): a delete this node has not heard of yet may doom the version it kept, and
     * then the newest shadow created after that delete is revived. Kept as jsonb, so a table that
     * gains columns needs no change here. Local: never published.
     */
    public static String createShadowTable(String table) {
        return SqlTemplate.resource("conflicts/shadows_table.sql").table("shadows", shadowTable(table)).render();
    }

    public static String createConflictsTable() {
        return SqlTemplate.resource("conflicts/conflicts_table.sql").table("conflicts", CONFLICTS_TABLE).render();
    }

    public static String createConflictsIndex() {
        return SqlTemplate.resource("conflicts/conflicts_index.sql").ident("index", CONFLICTS_INDEX)
                .table("conflicts", CONFLICTS_TABLE).render();
    }

    /** The log function's regprocedure signature, for catalog look-ups. */
    public static String logFunctionSignature() {
        return Sql.table(LOG_FUNCTION) + "(" + LOG_FUNCTION_ARGS + ")";
    }

    /** Body (prosrc) of {@link #LOG_FUNCTION}: versions rendered "2026-11-24T22:40:01.123456Z by node1" or "absent". */
    public static String logFunctionBody() {
        return SqlTemplate.resource("conflicts/log_conflict.sql").table("conflicts", CONFLICTS_TABLE).renderBody();
    }

    /**
     * SECURITY INVOKER on purpose: only the SECURITY DEFINER trigger functions (run as the table
     * owner) can write the log through it; a writer calling it directly lacks INSERT on the log.
     */
    public static String createOrReplaceLogFunction() {
        return "CREATE OR REPLACE FUNCTION " + Sql.table(LOG_FUNCTION) + "(p_table text, p_id bigint, p_kind text,"
                + " p_local_ts timestamptz, p_local_by integer, p_remote_ts timestamptz, p_remote_by integer,"
                + " p_winner text) RETURNS void LANGUAGE plpgsql SET " + searchPathClause()
                + " AS $pgmesh$" + logFunctionBody() + "$pgmesh$";
    }

    public static String lockFunctionSignature() {
        return Sql.table(LOCK_FUNCTION) + "()";
    }

    /**
     * Body (prosrc) of {@link #LOCK_FUNCTION} ({@code sql/conflicts/lock_key.sql}): takes the key lock,
     * then skips a tombstone this node already has.
     */
    public static String lockFunctionBody() {
        return SqlTemplate.resource("conflicts/lock_key.sql").renderBody();
    }

    public static String createOrReplaceLockFunction() {
        return "CREATE OR REPLACE FUNCTION " + lockFunctionSignature() + " RETURNS trigger LANGUAGE plpgsql SET "
                + searchPathClause() + " AS $pgmesh$" + lockFunctionBody() + "$pgmesh$";
    }

    /** The key-lock trigger on the table's tombstone table. */
    public static String createLockTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(LOCK_TRIGGER) + " BEFORE INSERT ON " + Sql.table(tombstoneTable(table))
                + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(LOCK_FUNCTION) + "(" + Sql.literal(table) + ")";
    }

    /** Makes the key-lock trigger fire only in apply workers (session_replication_role = replica). */
    public static String enableLockTriggerForReplicaOnly(String table) {
        return "ALTER TABLE " + Sql.table(tombstoneTable(table)) + " ENABLE REPLICA TRIGGER " + Sql.ident(LOCK_TRIGGER);
    }

    /** {@link #SEARCH_PATH_SETTING} as a SET clause of CREATE FUNCTION. */
    static String searchPathClause() {
        return "search_path = pg_catalog, pg_temp";
    }
}
