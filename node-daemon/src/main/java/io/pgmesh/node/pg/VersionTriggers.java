package io.pgmesh.node.pg;

import java.util.List;
import java.util.stream.Collectors;

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
    /** The trigger of the previous version (one function for all tables); replaced by {@link #WRITE_TRIGGER}. */
    public static final String LEGACY_TRIGGER = "pgmesh_timestamps";
    /** The function of the previous version; dropped once no trigger uses it. */
    public static final String LEGACY_FUNCTION = "pgmesh_set_timestamps";
    /** pg_trigger.tgenabled of a trigger that fires in every session_replication_role. */
    public static final String ENABLED_ALWAYS = "A";
    /** Transaction-local flag: the write function is turning a replicated insert into an update. */
    static final String CONVERTING = "pgmesh.converting";

    private static final String WRITE_FUNCTION_BODY = """

            DECLARE
              local_ts timestamptz;
              local_by integer;
              local_created timestamptz;
              local_row jsonb;
              tomb_ts timestamptz;
              changed bigint;
            BEGIN
              IF current_setting('{reviving}', true) = 'on' THEN
                -- a shadowed version being revived after a delete (see the revive function): as it is
                RETURN NEW;
              END IF;
              IF current_setting('session_replication_role') = 'replica' THEN
                -- A change applied from a peer keeps the peer's version; here it is only judged.
                IF TG_OP = 'INSERT' THEN
                  -- The key lock (see the class comment) makes the checks below see every
                  -- committed insert and tombstone of the key.
                  PERFORM pg_advisory_xact_lock(hashtext({name}), hashint8(NEW.{key}) & 255);
                  SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = NEW.{key};
                  IF tomb_ts >= NEW.created_ts THEN
                    -- insert_deleted: the insert was made before a delete of its key; the delete wins.
                    SELECT r.modified_ts, r.modified_by INTO local_ts, local_by FROM {table} AS r
                      WHERE r.{key} = NEW.{key};
                    PERFORM {log}({name}, NEW.{key}, 'insert_deleted', local_ts, local_by,
                                  NEW.modified_ts, NEW.modified_by, 'local');
                    RETURN NULL;
                  END IF;
                  SELECT r.modified_ts, r.modified_by, r.created_ts, to_jsonb(r)
                    INTO local_ts, local_by, local_created, local_row FROM {table} AS r
                    WHERE r.{key} = NEW.{key};
                  IF NOT FOUND THEN
                    RETURN NEW;
                  END IF;
                  -- insert_insert: the key exists here too; the newer version wins, as for updates.
                  IF (NEW.modified_ts, NEW.modified_by) > (local_ts, local_by) THEN
                    IF local_created IS DISTINCT FROM NEW.created_ts THEN
                      {shadow_local}
                    END IF;
                    BEGIN
                      PERFORM set_config('{converting}', 'on', true);
                      UPDATE {table} AS r SET {assignments}
                        WHERE r.{key} = NEW.{key};
                      GET DIAGNOSTICS changed = ROW_COUNT;
                      PERFORM set_config('{converting}', 'off', true);
                    EXCEPTION WHEN OTHERS THEN
                      RAISE WARNING 'pgmesh: could not apply the newer insert of %.% as an update: %',
                        {name}, NEW.{key}, SQLERRM;
                      RETURN NULL;
                    END;
                    IF changed = 0 THEN
                      -- The local row changed while this insert waited for it. Still under the key
                      -- lock (no local insert can recreate the key), judge the insert again.
                      PERFORM 1 FROM {table} AS r WHERE r.{key} = NEW.{key};
                      IF FOUND THEN
                        -- it was updated to a version at least as new: the local version wins
                        {shadow_new}
                        PERFORM {log}({name}, NEW.{key}, 'insert_insert', local_ts, local_by,
                                      NEW.modified_ts, NEW.modified_by, 'local');
                        RETURN NULL;
                      END IF;
                      -- it was deleted: the insert survives unless that delete came after it
                      SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = NEW.{key};
                      IF tomb_ts >= NEW.created_ts THEN
                        PERFORM {log}({name}, NEW.{key}, 'insert_deleted', NULL, NULL,
                                      NEW.modified_ts, NEW.modified_by, 'local');
                        RETURN NULL;
                      END IF;
                      RETURN NEW;
                    END IF;
                    PERFORM {log}({name}, NEW.{key}, 'insert_insert', local_ts, local_by,
                                  NEW.modified_ts, NEW.modified_by, 'remote');
                  ELSIF (NEW.modified_ts, NEW.modified_by) = (local_ts, local_by) THEN
                    -- the same version again (a joining node gets some from its copy and from a slot)
                    RETURN NULL;
                  ELSE
                    IF local_created IS DISTINCT FROM NEW.created_ts THEN
                      {shadow_new}
                    END IF;
                    PERFORM {log}({name}, NEW.{key}, 'insert_insert', local_ts, local_by,
                                  NEW.modified_ts, NEW.modified_by, 'local');
                  END IF;
                  RETURN NULL;
                END IF;
                IF (NEW.modified_ts, NEW.modified_by) <= (OLD.modified_ts, OLD.modified_by) THEN
                  -- update_update: the local version is newer; the incoming one is skipped (and kept
                  -- as a shadow when it is another incarnation: a delete may yet doom the local one).
                  IF NEW.created_ts IS DISTINCT FROM OLD.created_ts
                     AND current_setting('{converting}', true) IS DISTINCT FROM 'on' THEN
                    {shadow_new}
                  END IF;
                  IF (NEW.modified_ts, NEW.modified_by) < (OLD.modified_ts, OLD.modified_by)
                     AND current_setting('{converting}', true) IS DISTINCT FROM 'on' THEN
                    PERFORM {log}({name}, OLD.{key}, 'update_update', OLD.modified_ts, OLD.modified_by,
                                  NEW.modified_ts, NEW.modified_by, 'local');
                  END IF;
                  RETURN NULL;
                END IF;
                IF current_setting('{converting}', true) = 'on' THEN
                  RETURN NEW;
                END IF;
                IF NEW.created_ts IS DISTINCT FROM OLD.created_ts THEN
                  -- An update of another incarnation of the key: if a delete this node knows of removed
                  -- that incarnation, the delete wins over the update (delete_update).
                  SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = OLD.{key};
                  IF tomb_ts >= NEW.created_ts THEN
                    PERFORM {log}({name}, OLD.{key}, 'delete_update', OLD.modified_ts, OLD.modified_by,
                                  NEW.modified_ts, NEW.modified_by, 'local');
                    RETURN NULL;
                  END IF;
                END IF;
                IF NEW.created_ts IS DISTINCT FROM OLD.created_ts THEN
                  -- the newer version replaces another incarnation: keep that one as a shadow
                  {shadow_old}
                END IF;
                IF (OLD.modified_ts, OLD.modified_by) IS DISTINCT FROM (NEW.prev_modified_ts, NEW.prev_modified_by) THEN
                  -- update_update: the writer had not seen this node's version; the newer one wins.
                  PERFORM {log}({name}, OLD.{key}, 'update_update', OLD.modified_ts, OLD.modified_by,
                                NEW.modified_ts, NEW.modified_by, 'remote');
                END IF;
                RETURN NEW;
              END IF;
              -- A local write: this node makes a new version, newer than the one it replaces and,
              -- for an insert, than every delete of the key this node knows of.
              IF TG_OP = 'INSERT' THEN
                PERFORM pg_advisory_xact_lock(hashtext({name}), hashint8(NEW.{key}) & 255);
                SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = NEW.{key};
                NEW.created_ts := greatest(clock_timestamp(), tomb_ts + interval '1 microsecond');
                NEW.modified_ts := NEW.created_ts;
                NEW.prev_modified_ts := NULL;
                NEW.prev_modified_by := NULL;
              ELSE
                NEW.created_ts := OLD.created_ts;
                NEW.prev_modified_ts := OLD.modified_ts;
                NEW.prev_modified_by := OLD.modified_by;
                NEW.modified_ts := greatest(clock_timestamp(), OLD.modified_ts + interval '1 microsecond');
              END IF;
              NEW.modified_by := {node};
              RETURN NEW;
            END;
            """;

    private static final String DELETE_FUNCTION_BODY = """

            DECLARE
              tomb_ts timestamptz;
              tomb_by integer;
              seen_ts timestamptz;
              seen_by integer;
            BEGIN
              IF current_setting('session_replication_role') = 'replica' THEN
                -- The delete's tombstone arrived just before it, in the same transaction.
                SELECT t.deleted_ts, t.deleted_by, t.row_modified_ts, t.row_modified_by
                  INTO tomb_ts, tomb_by, seen_ts, seen_by
                  FROM {tombstones} AS t WHERE t.id = OLD.{key}
                  ORDER BY t.deleted_ts DESC, t.deleted_by DESC LIMIT 1;
                IF NOT FOUND THEN
                  RETURN OLD;
                END IF;
                IF OLD.created_ts > tomb_ts THEN
                  -- delete_reinsert: the row here was inserted after the delete; it survives.
                  PERFORM {log}({name}, OLD.{key}, 'delete_reinsert', OLD.modified_ts, OLD.modified_by,
                                tomb_ts, tomb_by, 'local');
                  RETURN NULL;
                END IF;
                IF (OLD.modified_ts, OLD.modified_by) IS DISTINCT FROM (seen_ts, seen_by) THEN
                  -- delete_update: the deleter had not seen this version; the delete still wins.
                  PERFORM {log}({name}, OLD.{key}, 'delete_update', OLD.modified_ts, OLD.modified_by,
                                tomb_ts, tomb_by, 'remote');
                END IF;
                RETURN OLD;
              END IF;
              -- A local delete leaves a tombstone, published with the table ahead of the delete.
              INSERT INTO {tombstones} (id, deleted_ts, deleted_by, row_modified_ts, row_modified_by)
              VALUES (OLD.{key}, greatest(clock_timestamp(), OLD.modified_ts + interval '1 microsecond'), {node},
                      OLD.modified_ts, OLD.modified_by);
              RETURN OLD;
            END;
            """;

    /**
     * AFTER DELETE: a delete dooms every incarnation created before it; if this node shadowed a
     * version of an incarnation created after the newest delete it knows, that version is the row
     * now (rule: a row inserted after a delete survives it), whatever order the changes came in.
     */
    private static final String REVIVE_FUNCTION_BODY = """

            DECLARE
              tomb_ts timestamptz;
              best {shadows};
            BEGIN
              SELECT max(t.deleted_ts) INTO tomb_ts FROM {tombstones} AS t WHERE t.id = OLD.{key};
              SELECT s.* INTO best FROM {shadows} AS s
                WHERE s.id = OLD.{key} AND (tomb_ts IS NULL OR s.created_ts > tomb_ts)
                ORDER BY s.modified_ts DESC, s.modified_by DESC LIMIT 1;
              -- dead shadows go; rows another session holds are left for later (never wait here)
              BEGIN
                DELETE FROM {shadows} AS s WHERE s.ctid IN (SELECT x.ctid FROM {shadows} AS x
                  WHERE x.id = OLD.{key} AND x.created_ts <= tomb_ts FOR UPDATE SKIP LOCKED);
              EXCEPTION WHEN OTHERS THEN
                RAISE WARNING 'pgmesh: could not prune shadows of %.%: %', {name}, OLD.{key}, SQLERRM;
              END;
              IF best.id IS NULL THEN
                RETURN NULL;
              END IF;
              BEGIN
                PERFORM set_config('{reviving}', 'on', true);
                INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, best.row);
                PERFORM set_config('{reviving}', 'off', true);
                DELETE FROM {shadows} AS s WHERE s.ctid IN (SELECT x.ctid FROM {shadows} AS x
                  WHERE x.id = OLD.{key} AND x.created_ts = best.created_ts FOR UPDATE SKIP LOCKED);
                PERFORM {log}({name}, OLD.{key}, 'delete_reinsert', best.modified_ts, best.modified_by,
                              tomb_ts, NULL, 'local');
              EXCEPTION WHEN OTHERS THEN
                PERFORM set_config('{reviving}', 'off', true);
                RAISE WARNING 'pgmesh: could not revive the version of %.% created after its delete: %',
                  {name}, OLD.{key}, SQLERRM;
              END;
              RETURN NULL;
            END;
            """;

    /** Keeping a shadow never fails the write it serves: its own subtransaction, a warning at worst. */
    private static final String SHADOW_NEW = "BEGIN INSERT INTO {shadows} AS s (id, created_ts, modified_ts, modified_by, row)"
            + " VALUES (NEW.{key}, NEW.created_ts, NEW.modified_ts, NEW.modified_by, to_jsonb(NEW))"
            + " ON CONFLICT (id, created_ts) DO UPDATE SET modified_ts = EXCLUDED.modified_ts,"
            + " modified_by = EXCLUDED.modified_by, row = EXCLUDED.row"
            + " WHERE (EXCLUDED.modified_ts, EXCLUDED.modified_by) > (s.modified_ts, s.modified_by);"
            + " EXCEPTION WHEN OTHERS THEN RAISE WARNING 'pgmesh: could not keep a shadow version: %', SQLERRM; END;";
    private static final String SHADOW_OLD = SHADOW_NEW.replace("NEW.", "OLD.").replace("to_jsonb(NEW)", "to_jsonb(OLD)");
    private static final String SHADOW_LOCAL = "BEGIN INSERT INTO {shadows} AS s (id, created_ts, modified_ts, modified_by, row)"
            + " VALUES (NEW.{key}, local_created, local_ts, local_by, local_row)"
            + " ON CONFLICT (id, created_ts) DO UPDATE SET modified_ts = EXCLUDED.modified_ts,"
            + " modified_by = EXCLUDED.modified_by, row = EXCLUDED.row"
            + " WHERE (EXCLUDED.modified_ts, EXCLUDED.modified_by) > (s.modified_ts, s.modified_by);"
            + " EXCEPTION WHEN OTHERS THEN RAISE WARNING 'pgmesh: could not keep a shadow version: %', SQLERRM; END;";
    /** Transaction-local flag: the revive function is putting a shadowed version back. */
    static final String REVIVING = "pgmesh.reviving";
    /** AFTER DELETE trigger, per table, calling {@link #reviveFunction}. */
    public static final String REVIVE_TRIGGER = "pgmesh_revive";

    private VersionTriggers() {
    }

    public static String reviveFunction(String table) {
        return "pgmesh_revive_" + table;
    }

    /** Body (prosrc) of the table's AFTER DELETE function on node {@code nodeIndex}. */
    public static String reviveFunctionBody(TableShape shape, int nodeIndex) {
        return render(REVIVE_FUNCTION_BODY, shape, nodeIndex);
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

    /** Body (prosrc) of the table's BEFORE INSERT OR UPDATE function on node {@code nodeIndex}. */
    public static String writeFunctionBody(TableShape shape, int nodeIndex) {
        String assignments = shape.columns().stream()
                .map(c -> Sql.ident(c) + " = NEW." + Sql.ident(c))
                .collect(Collectors.joining(",\n              "));
        return render(WRITE_FUNCTION_BODY, shape, nodeIndex).replace("{assignments}", assignments);
    }

    /** Body (prosrc) of the table's BEFORE DELETE function on node {@code nodeIndex}. */
    public static String deleteFunctionBody(TableShape shape, int nodeIndex) {
        return render(DELETE_FUNCTION_BODY, shape, nodeIndex);
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

    public static String dropLegacyFunction() {
        return "DROP FUNCTION " + signature(LEGACY_FUNCTION);
    }

    private static String render(String template, TableShape shape, int nodeIndex) {
        if (nodeIndex < 0) {
            throw new IllegalArgumentException("node index must be >= 0, got " + nodeIndex);
        }
        return template
                .replace("{shadow_new}", SHADOW_NEW)
                .replace("{shadow_old}", SHADOW_OLD)
                .replace("{shadow_local}", SHADOW_LOCAL)
                .replace("{shadows}", Sql.table(ConflictDdl.shadowTable(shape.table())))
                .replace("{reviving}", REVIVING)
                .replace("{tombstones}", Sql.table(ConflictDdl.tombstoneTable(shape.table())))
                .replace("{table}", Sql.table(shape.table()))
                .replace("{key}", Sql.ident(shape.keyColumn()))
                .replace("{name}", Sql.literal(shape.table()))
                .replace("{log}", Sql.table(ConflictDdl.LOG_FUNCTION))
                .replace("{converting}", CONVERTING)
                .replace("{node}", Integer.toString(nodeIndex));
    }
}
