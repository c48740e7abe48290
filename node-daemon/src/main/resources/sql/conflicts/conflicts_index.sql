CREATE INDEX {index} ON {conflicts} ("table_name", "id")
