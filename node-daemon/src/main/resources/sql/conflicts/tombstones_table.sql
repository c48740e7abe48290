CREATE TABLE {tombstones} (
  "id" bigint NOT NULL,
  "deleted_ts" timestamptz NOT NULL,
  "deleted_by" integer NOT NULL,
  "row_modified_ts" timestamptz NOT NULL,
  "row_modified_by" integer NOT NULL,
  PRIMARY KEY ("id", "deleted_ts", "deleted_by")
)
