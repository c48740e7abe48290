DECLARE
  known boolean;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(TG_ARGV[0]), hashint8(NEW.id) & 255);
  -- A tombstone this node already has arrives again when a node joins: copied from its
  -- source peer, then streamed from the deleting peer's slot. Tombstones never change,
  -- so the second one is skipped (else the duplicate key stops the apply worker).
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I AS t WHERE t.id = $1 AND t.deleted_ts = $2'
                 ' AND t.deleted_by = $3)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
    INTO known USING NEW.id, NEW.deleted_ts, NEW.deleted_by;
  IF known THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
