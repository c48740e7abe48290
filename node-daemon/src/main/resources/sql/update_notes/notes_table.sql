CREATE TABLE {notes} (
  "seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "id" bigint NOT NULL,
  "row" jsonb NOT NULL
)
