BEGIN
  RAISE EXCEPTION 'pgmesh: TRUNCATE of the replicated table % is refused', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported',
          DETAIL = 'TRUNCATE leaves no tombstones: rows other nodes are still sending would'
            || ' survive on some nodes and not on others.',
          HINT = 'Use DELETE FROM ' || quote_ident(TG_TABLE_NAME)
            || ': every deleted row gets a tombstone, and every node ends with the same rows.';
END;
