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
 * finds the newer version and loses to it. Pure functions.
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

    private static final String NOTE_FUNCTION_BODY = """

            DECLARE
              n bigint;
            BEGIN
              -- The insert is what peers receive; the row itself need not stay here.
              INSERT INTO {notes} (id, row) VALUES (NEW.{key}, to_jsonb(NEW)) RETURNING seq INTO n;
              DELETE FROM {notes} AS u WHERE u.seq = n;
              RETURN NULL;
            END;
            """;

    private static final String APPLY_FUNCTION_BODY = """

            DECLARE
              r {table};
              tomb_ts timestamptz;
            BEGIN
              BEGIN
                r := jsonb_populate_record(NULL::{table}, NEW.row);
                PERFORM 1 FROM {table} AS t WHERE t.{key} = r.{key};
                IF NOT FOUND THEN
                  SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = r.{key};
                  IF tomb_ts IS NULL OR tomb_ts < r.created_ts THEN
                    -- The update came before the row (from another origin): it becomes the row,
                    -- judged by the version trigger like a replicated insert.
                    INSERT INTO {table} SELECT (r).*;
                  END IF;
                END IF;
              EXCEPTION WHEN OTHERS THEN
                -- an error in an apply worker would make PostgreSQL retry the change forever
                RAISE WARNING 'pgmesh: could not apply the update of %.% that arrived before its row: %',
                  {name}, NEW.id, SQLERRM;
              END;
              RETURN NULL;
            END;
            """;

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
        return "CREATE TABLE " + Sql.table(notesTable(table)) + " (\n"
                + "  \"seq\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                + "  \"id\" bigint NOT NULL,\n"
                + "  \"row\" jsonb NOT NULL\n"
                + ")";
    }

    public static String noteFunctionBody(VersionTriggers.TableShape shape) {
        return render(NOTE_FUNCTION_BODY, shape);
    }

    public static String applyFunctionBody(VersionTriggers.TableShape shape) {
        return render(APPLY_FUNCTION_BODY, shape);
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

    private static String render(String template, VersionTriggers.TableShape shape) {
        return template
                .replace("{notes}", Sql.table(notesTable(shape.table())))
                .replace("{tombstones}", Sql.table(ConflictDdl.tombstoneTable(shape.table())))
                .replace("{table}", Sql.table(shape.table()))
                .replace("{key}", Sql.ident(shape.keyColumn()))
                .replace("{name}", Sql.literal(shape.table()));
    }
}
