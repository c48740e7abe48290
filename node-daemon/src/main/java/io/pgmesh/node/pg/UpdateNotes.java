package io.pgmesh.node.pg;

/**
 * Updates that overtake the insert they follow. Logical replication keeps each origin's changes
 * in order, not changes of different origins: node C can receive node B's update of a row before
 * node A's insert of it, and PostgreSQL then skips the update silently ("row missing"), with no
 * trigger to notice. So every local update also writes its new version, as an insert, to the
 * table's update-notes table, published with the table (and deleted again in the same
 * transaction: nothing stays on the writing node). On a peer, the apply worker's insert of that
 * note fires {@link #APPLY_TRIGGER} (ENABLE REPLICA), which stores nothing; when the row is
 * missing there and no delete the peer knows of covers it, it inserts the version, which the
 * version trigger then judges like any replicated insert. When A's insert arrives later, it
 * finds the newer version and loses to it. Pure functions; the SQL is in {@code sql/update_notes/*.sql}.
 */
public final class UpdateNotes {

    /** Prefix of a table's update-notes table (shorter than the tombstone prefix, so it fits). */
    public static final String PREFIX = "pgmesh_updates_";
    /** AFTER UPDATE trigger on the replicated table; default enablement: local writes only. */
    public static final String NOTE_TRIGGER = "pgmesh_note_update";
    /** BEFORE INSERT trigger on the notes table, ENABLE REPLICA: only notes from peers. */
    public static final String APPLY_TRIGGER = "pgmesh_apply_update";
    /** pg_trigger.tgenabled of a trigger that fires only on local writes (session_replication_role = origin). */
    public static final String ENABLED_ORIGIN = "O";

    private UpdateNotes() {
    }

    public static String notesTable(String table) {
        return PREFIX + table;
    }

    public static String noteFunction(String table) {
        return "pgmesh_note_" + table;
    }

    public static String applyFunction(String table) {
        return "pgmesh_apply_" + table;
    }

    /** Insert-only in effect: a row per local update, removed in the transaction that made it. */
    public static String createNotesTable(String table) {
        return SqlTemplate.resource("update_notes/notes_table.sql").table("notes", notesTable(table)).render();
    }

    /** Body of the AFTER UPDATE function: the new version as a note, inserted and removed again. */
    public static String noteFunctionBody(VersionTriggers.TableShape shape) {
        return SqlTemplate.resource("update_notes/note.sql")
                .table("notes", notesTable(shape.table()))
                .ident("key", shape.keyColumn())
                .renderBody();
    }

    /** Body of the BEFORE INSERT function on the notes table: a peer's note becomes the row when it is missing. */
    public static String applyFunctionBody(VersionTriggers.TableShape shape) {
        return SqlTemplate.resource("update_notes/apply.sql")
                .table("table", shape.table())
                .ident("key", shape.keyColumn())
                .table("tombstones", ConflictDdl.tombstoneTable(shape.table()))
                .literal("name", shape.table())
                .renderBody();
    }

    public static String createNoteTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(NOTE_TRIGGER) + " AFTER UPDATE ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + VersionTriggers.signature(noteFunction(table));
    }

    public static String createApplyTrigger(String table) {
        return "CREATE TRIGGER " + Sql.ident(APPLY_TRIGGER) + " BEFORE INSERT ON " + Sql.table(notesTable(table))
                + " FOR EACH ROW EXECUTE FUNCTION " + VersionTriggers.signature(applyFunction(table));
    }

    public static String enableApplyTriggerForReplicaOnly(String table) {
        return "ALTER TABLE " + Sql.table(notesTable(table)) + " ENABLE REPLICA TRIGGER " + Sql.ident(APPLY_TRIGGER);
    }
}
