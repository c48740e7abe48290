INSERT INTO {version_table} AS v ("version") VALUES ({version})
ON CONFLICT ("one_row") DO UPDATE SET "version" = EXCLUDED."version", "upgraded_at" = clock_timestamp()
