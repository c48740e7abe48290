CREATE TABLE {shadows} (
  "id" bigint NOT NULL,
  "created_ts" timestamptz NOT NULL,
  "modified_ts" timestamptz NOT NULL,
  "modified_by" integer NOT NULL,
  "row" jsonb NOT NULL,
  PRIMARY KEY ("id", "created_ts")
)
