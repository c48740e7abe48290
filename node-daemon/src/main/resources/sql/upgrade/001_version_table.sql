CREATE TABLE {version_table} (
  "one_row" boolean PRIMARY KEY DEFAULT true CHECK ("one_row"),
  "version" integer NOT NULL,
  "upgraded_at" timestamptz NOT NULL DEFAULT clock_timestamp()
);
ALTER TABLE {version_table} OWNER TO {owner}
