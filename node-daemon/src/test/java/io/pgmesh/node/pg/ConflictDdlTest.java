package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictDdlTest {

    @Test
    void tombstonesAreKeyedByDelete() {
        assertThat(ConflictDdl.createTombstoneTable("table1")).isEqualTo("""
                CREATE TABLE "public"."pgmesh_tombstones_table1" (
                  "id" bigint NOT NULL,
                  "deleted_ts" timestamptz NOT NULL,
                  "deleted_by" integer NOT NULL,
                  "row_modified_ts" timestamptz NOT NULL,
                  "row_modified_by" integer NOT NULL,
                  PRIMARY KEY ("id", "deleted_ts", "deleted_by")
                )""");
    }

    @Test
    void replicatedTombstonesTakeTheKeyLock() {
        assertThat(ConflictDdl.createLockTrigger("table1")).isEqualTo(
                "CREATE TRIGGER \"pgmesh_lock\" BEFORE INSERT ON \"public\".\"pgmesh_tombstones_table1\""
                        + " FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgmesh_lock_key\"('table1')");
        assertThat(ConflictDdl.enableLockTriggerForReplicaOnly("table1")).isEqualTo(
                "ALTER TABLE \"public\".\"pgmesh_tombstones_table1\" ENABLE REPLICA TRIGGER \"pgmesh_lock\"");
        assertThat(ConflictDdl.lockFunctionBody()).contains(
                "PERFORM pg_advisory_xact_lock(hashtext(TG_ARGV[0]), hashint8(NEW.id) & 255);");
    }

    @Test
    void aReplicatedTombstoneTheNodeAlreadyHasIsSkippedAfterTheKeyLock() {
        String body = ConflictDdl.lockFunctionBody();
        assertThat(body.indexOf("pg_advisory_xact_lock")).isLessThan(body.indexOf("EXECUTE format("));
        assertThat(body).contains("FROM %I.%I AS t WHERE t.id = $1 AND t.deleted_ts = $2",
                        "TG_TABLE_SCHEMA, TG_TABLE_NAME", "USING NEW.id, NEW.deleted_ts, NEW.deleted_by",
                        "IF known THEN\n    RETURN NULL;")
                .doesNotContain("RAISE");
    }

    @Test
    void conflictLogHasTheWireColumns() {
        assertThat(ConflictDdl.createConflictsTable()).startsWith("CREATE TABLE \"public\".\"pgmesh_conflicts\" (")
                .contains("\"seq\" bigserial PRIMARY KEY", "\"kind\" text NOT NULL", "\"winner\" text NOT NULL",
                        "\"resolved_at\" timestamptz NOT NULL DEFAULT clock_timestamp()");
        assertThat(ConflictDdl.createConflictsIndex()).isEqualTo(
                "CREATE INDEX \"pgmesh_conflicts_row\" ON \"public\".\"pgmesh_conflicts\" (\"table_name\", \"id\")");
    }

    @Test
    void logFunctionRendersVersionsInUtcAndNeverRaises() {
        String body = ConflictDdl.logFunctionBody();
        assertThat(body).contains("INSERT INTO \"public\".\"pgmesh_conflicts\"",
                "CASE WHEN p_local_ts IS NULL THEN 'absent'",
                "to_char(p_remote_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
                "|| ' by node' || p_remote_by END",
                "EXCEPTION WHEN OTHERS THEN", "RAISE WARNING");
        assertThat(ConflictDdl.createOrReplaceLogFunction()).doesNotContain("SECURITY DEFINER")
                .contains("SET search_path = pg_catalog, pg_temp");
        assertThat(ConflictDdl.logFunctionSignature()).isEqualTo("\"public\".\"pgmesh_log_conflict\"(text, bigint,"
                + " text, timestamptz, integer, timestamptz, integer, text)");
    }

    @Test
    void explainSqlReadsSystemColumnsThenValuesAsText() {
        assertThat(RowExplainSql.row("table1", "id", List.of("id", "col1"))).isEqualTo(
                "SELECT \"created_ts\", \"modified_ts\", \"modified_by\", \"prev_modified_ts\", \"prev_modified_by\","
                        + " \"id\"::text, \"col1\"::text FROM \"public\".\"table1\" WHERE \"id\" = ?");
        assertThat(RowExplainSql.tombstones("table1")).contains("FROM \"public\".\"pgmesh_tombstones_table1\"",
                "ORDER BY \"deleted_ts\" DESC, \"deleted_by\" DESC LIMIT 100");
        assertThat(RowExplainSql.conflicts()).contains("WHERE \"table_name\" = ? AND \"id\" = ?",
                "ORDER BY \"seq\" DESC LIMIT 100) AS c ORDER BY c.\"seq\"");
    }

    @Test
    void timestampsAreUtcWithMicroseconds() {
        assertThat(RowExplainSql.iso(OffsetDateTime.of(2026, 11, 24, 23, 40, 1, 123_456_000, ZoneOffset.ofHours(1))))
                .isEqualTo("2026-11-24T22:40:01.123456Z");
        assertThat(RowExplainSql.iso(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)))
                .isEqualTo("2026-01-02T03:04:05.000000Z");
        assertThat(RowExplainSql.iso((java.time.OffsetDateTime) null)).isNull();
    }
}
