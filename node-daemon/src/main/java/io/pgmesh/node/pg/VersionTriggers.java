package io.pgmesh.node.pg;

import java.util.List;

/**
 * The two trigger functions of a replicated table and their triggers, rendered for one node:
 * pure functions. Both triggers are ENABLE ALWAYS: on local writes they stamp versions and record
 * deletes as tombstones; in apply workers (session_replication_role = replica) they judge each
 * peer's change by the rules of {@link io.pgmesh.protocol.ConflictKind} and never raise.
 *
 * <p>A version is (modified_ts, modified_by); newer is the greater pair. Every local row is newer
 * than every tombstone of its key the node knows (created_ts &gt; deleted_ts): local inserts are
 * stamped after them and replicated rows from before them are refused.
 *
 * <p>A transaction that inserts key k (local or replicated) or applies a peer's tombstone of k
 * (via {@link ConflictDdl#LOCK_FUNCTION}) holds the advisory lock (hashtext(table), hashint8(k) &amp; 255)
 * until it ends, taken before any row lock. So an insert never decides on a state that a
 * concurrent, not yet committed insert or delete of the same key is about to change: without it,
 * two apply workers (or an apply worker and a local writer) inserting one key both find it absent
 * and one fails with a unique violation. The lock is striped over 256 per table so that a
 * transaction touching many rows (a bulk insert, a joining node's initial copy) holds a bounded
 * number of locks instead of one per row, which would exhaust the shared lock table. A local delete takes no key lock: it already holds the
 * row lock, and taking the key lock after it deadlocks with an apply worker that holds the key
 * lock (its tombstone) and waits for the row.
 */
public final class VersionTriggers {

    /** BEFORE INSERT OR UPDATE trigger, per table, calling {@link #writeFunction}. */
    public static final String WRITE_TRIGGER = "pgmesh_write";
    /** BEFORE DELETE trigger, per table, calling {@link #deleteFunction}. */
    public static final String DELETE_TRIGGER = "pgmesh_delete";
    /** pg_trigger.tgenabled of a trigger that fires in every session_replication_role. */
    public static final String ENABLED_ALWAYS = "A";
    /** Transaction-local flag: the write function is turning a replicated insert into an update. */
    static final String CONVERTING = "pgmesh.converting";
    /** Transaction-local flag: the revive function is putting a shadowed version back. */
    static final String REVIVING = "pgmesh.reviving";
    /** AFTER DELETE trigger, per table, calling {@link #reviveFunction}. */
    public static final String REVIVE_TRIGGER = "pgmesh_revive";

    private VersionTriggers() {
    }

    public static String reviveFunction(String table) {
        return "pgmesh_revive_" + table;
    }

    /**
     * Body (prosrc) of the table's AFTER DELETE function on node {@code nodeIndex}
     * ({@code sql/version_triggers/revive.sql}). A delete dooms every incarnation created before it;
     * if this node shadowed a version of an incarnation created after the newest delete it knows,
     * that version is the row now (rule: a row inserted after a delete survives it), whatever order
     * the changes came in.
     */
    public static String reviveFunctionBody(TableShape shape, int nodeIndex) {
        checkNode(nodeIndex);
        return SqlTemplate.resource("version_triggers/revive.sql")
                .table("shadows", ConflictDdl.shadowTable(shape.table()))
                .table("tombstones", ConflictDdl.tombstoneTable(shape.table()))
                .ident("key", shape.keyColumn())
                .literal("name", shape.table())
                .literal("reviving", REVIVING)
                .table("table", shape.table())
                .table("log", ConflictDdl.LOG_FUNCTION)
                .renderBody();
    }

    public static String createReviveTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(REVIVE_TRIGGER) + " AFTER DELETE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + signature(reviveFunction(table));
    }

    /**
     * What the functions need of a table.
     *
     * @param table     the table
     * @param keyColumn its one-column primary key
     * @param columns   every column, system columns included, in table order (from the catalog)
     */
    public record TableShape(String table, String keyColumn, List<String> columns) {
        public TableShape {
            columns = List.copyOf(columns);
            if (!columns.contains(keyColumn)) {
                throw new IllegalArgumentException("key column " + keyColumn + " is not among " + columns);
            }
        }
    }

    public static String writeFunction(String table) {
        return "pgmesh_write_" + table;
    }

    public static String deleteFunction(String table) {
        return "pgmesh_delete_" + table;
    }

    /** regprocedure signature of a trigger function, e.g. {@code "public"."pgmesh_write_t"()}. */
    public static String signature(String function) {
        return Sql.table(function) + "()";
    }

    /**
     * Body (prosrc) of the table's BEFORE INSERT OR UPDATE function on node {@code nodeIndex}
     * ({@code sql/version_triggers/write.sql}).
     */
    public static String writeFunctionBody(TableShape shape, int nodeIndex) {
        checkNode(nodeIndex);
        List<SqlTemplate> assignments = shape.columns().stream()
                .map(c -> SqlTemplate.resource("version_triggers/assignment.sql").ident("column", c))
                .toList();
        return SqlTemplate.resource("version_triggers/write.sql")
                .literal("reviving", REVIVING)
                .literal("converting", CONVERTING)
                .literal("name", shape.table())
                .ident("key", shape.keyColumn())
                .table("tombstones", ConflictDdl.tombstoneTable(shape.table()))
                .table("table", shape.table())
                .table("log", ConflictDdl.LOG_FUNCTION)
                .sql("shadow_local", shadow("version_triggers/shadow_local.sql", shape))
                .sql("shadow_new", shadow("version_triggers/shadow_new.sql", shape))
                .sql("shadow_old", shadow("version_triggers/shadow_old.sql", shape))
                .sqlList("assignments", assignments, ",\n              ")
                .number("node", nodeIndex)
                .renderBody();
    }

    /**
     * Body (prosrc) of the table's BEFORE DELETE function on node {@code nodeIndex}
     * ({@code sql/version_triggers/delete.sql}).
     */
    public static String deleteFunctionBody(TableShape shape, int nodeIndex) {
        checkNode(nodeIndex);
        return SqlTemplate.resource("version_triggers/delete.sql")
                .table("tombstones", ConflictDdl.tombstoneTable(shape.table()))
                .ident("key", shape.keyColumn())
                .literal("name", shape.table())
                .table("log", ConflictDdl.LOG_FUNCTION)
                .number("node", nodeIndex)
                .renderBody();
    }

    /** Keeping a shadow version never fails the write it serves: its own subtransaction, a warning at worst. */
    private static SqlTemplate shadow(String resource, TableShape shape) {
        return SqlTemplate.resource(resource)
                .table("shadows", ConflictDdl.shadowTable(shape.table()))
                .ident("key", shape.keyColumn());
    }

    /**
     * A trigger function: SECURITY DEFINER (it runs as its owner, the table owner, so writers need
     * no rights on tombstones or the conflict log) with a fixed search_path.
     */
    public static String createOrReplaceFunction(String function, String body) {
        return "CREATE OR REPLACE FUNCTION " + signature(function) + " RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET " + ConflictDdl.searchPathClause() + " AS $pgmesh$" + body + "$pgmesh$";
    }

    public static String alterFunctionOwner(String signature, String owner) {
        return "ALTER FUNCTION " + signature + " OWNER TO " + Sql.ident(owner);
    }

    public static String createWriteTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(WRITE_TRIGGER) + " BEFORE INSERT OR UPDATE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + signature(writeFunction(table));
    }

    public static String createDeleteTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(DELETE_TRIGGER) + " BEFORE DELETE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + signature(deleteFunction(table));
    }

    /** Makes a trigger fire in apply workers too (session_replication_role = replica). */
    public static String enableAlways(String table, String trigger) {
        return "ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.ident(trigger);
    }

    public static String dropTrigger(String table, String trigger) {
        return "DROP TRIGGER " + Sql.ident(trigger) + " ON " + Sql.table(table);
    }

    private static void checkNode(int nodeIndex) {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("node index must be >= 0, got " + nodeIndex);
        }
    }
}
