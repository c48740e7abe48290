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
    PERFORM set_config({reviving}, 'on', true);
    INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, best.row);
    PERFORM set_config({reviving}, 'off', true);
    DELETE FROM {shadows} AS s WHERE s.ctid IN (SELECT x.ctid FROM {shadows} AS x
      WHERE x.id = OLD.{key} AND x.created_ts = best.created_ts FOR UPDATE SKIP LOCKED);
    PERFORM {log}({name}, OLD.{key}, 'delete_reinsert', best.modified_ts, best.modified_by,
                  tomb_ts, NULL, 'local');
  EXCEPTION WHEN OTHERS THEN
    PERFORM set_config({reviving}, 'off', true);
    RAISE WARNING 'pgmesh: could not revive the version of %.% created after its delete: %',
      {name}, OLD.{key}, SQLERRM;
  END;
  RETURN NULL;
END;
