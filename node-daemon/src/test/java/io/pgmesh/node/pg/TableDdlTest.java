package io.pgmesh.node.pg;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableDdlTest {

    static final TableSpec DEFAULT_TABLE = new TableSpec("table1", List.of(
            new ColumnSpec("id", "bigserial", true, false, null),
            new ColumnSpec("col1", "varchar", false, false, "default-value"),
            new ColumnSpec("col2", "varchar", false, false, null)));

    @Test
    void rendersTheDefaultTable() {
        assertThat(TableDdl.createTable(DEFAULT_TABLE)).isEqualTo("""
                CREATE TABLE "public"."table1" (
                  "id" bigserial PRIMARY KEY,
                  "col1" varchar DEFAULT 'default-value'::varchar,
                  "col2" varchar,
                  "created_ts" timestamptz NOT NULL DEFAULT clock_timestamp(),
                  "modified_ts" timestamptz NOT NULL DEFAULT clock_timestamp(),
                  "modified_by" integer NOT NULL DEFAULT 0,
                  "prev_modified_ts" timestamptz,
                  "prev_modified_by" integer
                )""");
    }

    @Test
    void defaultsAreLiteralsEvenWhenTheyLookLikeSql() {
        TableSpec table = new TableSpec("t", List.of(
                new ColumnSpec("id", "bigserial", true, false, null),
                new ColumnSpec("c", "text", false, true, "x'); DROP TABLE t; --")));
        assertThat(TableDdl.createTable(table))
                .contains("\"c\" text NOT NULL DEFAULT 'x''); DROP TABLE t; --'::text,");
    }

    @Test
    void keyRangeOfNodeTwo() {
        assertThat(TableDdl.alterKeyRange("table1_id_seq", 2)).isEqualTo(
                "ALTER SEQUENCE \"public\".\"table1_id_seq\" MINVALUE 4294967295 MAXVALUE 6442450941"
                        + " START WITH 4294967295 RESTART WITH 4294967295");
    }

    @Test
    void addsModifiedByToAnOlderTable() {
        assertThat(TableDdl.addModifiedByColumn("table1")).isEqualTo(
                "ALTER TABLE \"public\".\"table1\" ADD COLUMN \"modified_by\" integer NOT NULL DEFAULT 0");
    }

    @Test
    void addsPrevColumnsToAnOlderTable() {
        assertThat(TableDdl.addPrevColumns("table1")).isEqualTo("ALTER TABLE \"public\".\"table1\""
                + " ADD COLUMN \"prev_modified_ts\" timestamptz, ADD COLUMN \"prev_modified_by\" integer");
    }

    @Test
    void mapsSpecTypesToFormatType() {
        assertThat(TableDdl.catalogType("bigserial")).isEqualTo("bigint");
        assertThat(TableDdl.catalogType("varchar")).isEqualTo("character varying");
        assertThat(TableDdl.catalogType("varchar(40)")).isEqualTo("character varying(40)");
        assertThat(TableDdl.catalogType("numeric(10)")).isEqualTo("numeric(10,0)");
        assertThat(TableDdl.catalogType("numeric(10,2)")).isEqualTo("numeric(10,2)");
        assertThat(TableDdl.catalogType("timestamptz")).isEqualTo("timestamp with time zone");
        assertThat(TableDdl.catalogType("double precision")).isEqualTo("double precision");
    }

    @Test
    void matchingColumnsHaveNoDifferences() {
        assertThat(TableDdl.differences(DEFAULT_TABLE, List.of(
                new ExistingColumn("id", "bigint", true),
                new ExistingColumn("col1", "character varying", false),
                new ExistingColumn("col2", "character varying", false)))).isEmpty();
    }

    @Test
    void explainsEachDifference() {
        assertThat(TableDdl.differences(DEFAULT_TABLE, List.of(
                new ExistingColumn("id", "bigint", true),
                new ExistingColumn("col1", "text", true),
                new ExistingColumn("extra", "integer", false)))).containsExactlyInAnyOrder(
                "column col2 is missing",
                "column extra exists but is not in the spec",
                "column col1 has type text, spec wants character varying",
                "column col1 is NOT NULL, spec wants nullable");
    }
}
