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
