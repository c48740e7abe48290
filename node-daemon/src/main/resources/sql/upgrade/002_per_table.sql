DROP TRIGGER IF EXISTS {legacy_trigger} ON {table}
