CREATE TABLE {conflicts} (
  "seq" bigserial PRIMARY KEY,
  "table_name" text NOT NULL,
  "id" bigint NOT NULL,
  "kind" text NOT NULL,
  "local_version" text NOT NULL,
  "remote_version" text NOT NULL,
  "winner" text NOT NULL,
  "resolved_at" timestamptz NOT NULL DEFAULT clock_timestamp()
)
