DECLARE
  local_ts timestamptz;
  local_by integer;
  local_created timestamptz;
  local_row jsonb;
  tomb_ts timestamptz;
  changed bigint;
BEGIN
  IF current_setting({reviving}, true) = 'on' THEN
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
          PERFORM set_config({converting}, 'on', true);
          UPDATE {table} AS r SET {assignments}
            WHERE r.{key} = NEW.{key};
          GET DIAGNOSTICS changed = ROW_COUNT;
          PERFORM set_config({converting}, 'off', true);
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
         AND current_setting({converting}, true) IS DISTINCT FROM 'on' THEN
        {shadow_new}
      END IF;
      IF (NEW.modified_ts, NEW.modified_by) < (OLD.modified_ts, OLD.modified_by)
         AND current_setting({converting}, true) IS DISTINCT FROM 'on' THEN
        PERFORM {log}({name}, OLD.{key}, 'update_update', OLD.modified_ts, OLD.modified_by,
                      NEW.modified_ts, NEW.modified_by, 'local');
      END IF;
      RETURN NULL;
    END IF;
    IF current_setting({converting}, true) = 'on' THEN
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
