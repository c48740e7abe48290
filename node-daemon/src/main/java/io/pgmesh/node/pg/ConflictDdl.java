package io.pgmesh.node.pg;

/**
 * DDL of what conflict resolution needs besides the per-table trigger functions: the per-table
 * tombstone table (published with the table) and the per-database, unpublished conflict log with
 * the function that writes it. Pure functions.
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

    private static final String LOG_FUNCTION_BODY = """

            BEGIN
              INSERT INTO {conflicts} (table_name, id, kind, local_version, remote_version, winner)
              VALUES (p_table, p_id, p_kind,
                      CASE WHEN p_local_ts IS NULL THEN 'absent'
                           ELSE to_char(p_local_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                                || ' by node' || p_local_by END,
                      CASE WHEN p_remote_ts IS NULL THEN 'absent'
                           ELSE to_char(p_remote_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                                || ' by node' || p_remote_by END,
                      p_winner);
            EXCEPTION WHEN OTHERS THEN
              -- Called from apply workers: an error there would make PostgreSQL retry the change forever.
              RAISE WARNING 'pgmesh: could not record a % conflict on %.%: %', p_kind, p_table, p_id, SQLERRM;
            END;
            """;

    private static final String LOCK_FUNCTION_BODY = """

            DECLARE
              known boolean;
            BEGIN
              PERFORM pg_advisory_xact_lock(hashtext(TG_ARGV[0]), hashint8(NEW.id) & 255);
              -- A tombstone this node already has arrives again when a node joins: copied from its
              -- source peer, then streamed from the deleting peer's slot. Tombstones never change,
              -- so the second one is skipped (else the duplicate key stops the apply worker).
              EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I AS t WHERE t.id = $1 AND t.deleted_ts = $2'
                             ' AND t.deleted_by = $3)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
                INTO known USING NEW.id, NEW.deleted_ts, NEW.deleted_by;
              IF known THEN
                RETURN NULL;
              END IF;
              RETURN NEW;
            END;
            """;

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
        return "CREATE TABLE " + Sql.table(tombstoneTable(table)) + " (\n"
                + "  \"id\" bigint NOT NULL,\n"
                + "  \"deleted_ts\" timestamptz NOT NULL,\n"
                + "  \"deleted_by\" integer NOT NULL,\n"
                + "  \"row_modified_ts\" timestamptz NOT NULL,\n"
                + "  \"row_modified_by\" integer NOT NULL,\n"
                + "  PRIMARY KEY (\"id\", \"deleted_ts\", \"deleted_by\")\n"
                + ")";
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
        return "CREATE TABLE " + Sql.table(shadowTable(table)) + " (\n"
                + "  \"id\" bigint NOT NULL,\n"
                + "  \"created_ts\" timestamptz NOT NULL,\n"
                + "  \"modified_ts\" timestamptz NOT NULL,\n"
                + "  \"modified_by\" integer NOT NULL,\n"
                + "  \"row\" jsonb NOT NULL,\n"
                + "  PRIMARY KEY (\"id\", \"created_ts\")\n"
                + ")";
    }

    public static String createConflictsTable() {
        return "CREATE TABLE " + Sql.table(CONFLICTS_TABLE) + " (\n"
                + "  \"seq\" bigserial PRIMARY KEY,\n"
                + "  \"table_name\" text NOT NULL,\n"
                + "  \"id\" bigint NOT NULL,\n"
                + "  \"kind\" text NOT NULL,\n"
                + "  \"local_version\" text NOT NULL,\n"
                + "  \"remote_version\" text NOT NULL,\n"
                + "  \"winner\" text NOT NULL,\n"
                + "  \"resolved_at\" timestamptz NOT NULL DEFAULT clock_timestamp()\n"
                + ")";
    }

    public static String createConflictsIndex() {
        return "CREATE INDEX " + Sql.ident(CONFLICTS_INDEX) + " ON " + Sql.table(CONFLICTS_TABLE)
                + " (\"table_name\", \"id\")";
    }

    /** The log function's regprocedure signature, for catalog look-ups. */
    public static String logFunctionSignature() {
        return Sql.table(LOG_FUNCTION) + "(" + LOG_FUNCTION_ARGS + ")";
    }

    /** Body (prosrc) of {@link #LOG_FUNCTION}: versions rendered "2026-11-24T22:40:01.123456Z by node1" or "absent". */
    public static String logFunctionBody() {
        return LOG_FUNCTION_BODY.replace("{conflicts}", Sql.table(CONFLICTS_TABLE));
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

    public static String lockFunctionBody() {
        return LOCK_FUNCTION_BODY;
    }

    public static String createOrReplaceLockFunction() {
        return "CREATE OR REPLACE FUNCTION " + lockFunctionSignature() + " RETURNS trigger LANGUAGE plpgsql SET "
                + searchPathClause() + " AS $pgmesh$" + LOCK_FUNCTION_BODY + "$pgmesh$";
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
