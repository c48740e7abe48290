package io.pgmesh.node.pg;

/**
 * Refuses TRUNCATE of a replicated table on the node where it is run. TRUNCATE removes rows without
 * tombstones, so a peer's insert or update that is still on its way survives on the nodes that
 * receive it after the TRUNCATE and is gone on the others: the nodes end up different, and
 * {@code pgmesh repair} would bring the rows back. DELETE leaves a tombstone per row, which every
 * node judges alike. The trigger has the default enablement (local sessions only), so it never
 * fires in an apply worker. Pure functions.
 */
public final class TruncateGuard {

    /** The BEFORE TRUNCATE trigger on each replicated table, and its function (one for all tables). */
    public static final String TRIGGER = "pgmesh_refuse_truncate";
    public static final String FUNCTION = "pgmesh_refuse_truncate";

    /** Body (prosrc) of {@link #FUNCTION}. */
    public static final String FUNCTION_BODY = SqlTemplate.resource("truncate_guard/refuse_truncate.sql").renderBody();

    private TruncateGuard() {
    }

    public static String signature() {
        return VersionTriggers.signature(FUNCTION);
    }

    public static String createOrReplaceFunction() {
        return VersionTriggers.createOrReplaceFunction(FUNCTION, FUNCTION_BODY);
    }

    public static String createTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(table)
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + signature();
    }
}
