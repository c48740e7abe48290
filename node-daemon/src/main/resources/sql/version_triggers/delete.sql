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
