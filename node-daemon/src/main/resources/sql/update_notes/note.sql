DECLARE
  n bigint;
BEGIN
  -- The insert is what peers receive; the row itself need not stay here.
  INSERT INTO {notes} (id, row) VALUES (NEW.{key}, to_jsonb(NEW)) RETURNING seq INTO n;
  DELETE FROM {notes} AS u WHERE u.seq = n;
  RETURN NULL;
END;
