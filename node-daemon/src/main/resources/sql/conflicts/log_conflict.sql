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
