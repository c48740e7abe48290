package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableDigestSqlTest {

    private static final String HASHED_ROWS = "SELECT \"Row\".\"id\" AS id,"
            + " ((\"Row\".\"id\" % \"Parameters\".n) + \"Parameters\".n) % \"Parameters\".n AS bucket,"
            + " ('x' || substr(md5(\"Row\"::text), 1, 16))::bit(64)::bigint AS hash,"
            + " (\"Row\".\"modified_ts\" < coalesce(\"Parameters\".cutoffs[\"Row\".\"modified_by\" + 1],"
            + " 'infinity'::timestamptz)) AS settled"
            + " FROM \"public\".\"table1\" AS \"Row\" CROSS JOIN (SELECT CAST(? AS integer) AS n,"
            + " CAST(CAST(? AS text[]) AS timestamptz[]) AS cutoffs) AS \"Parameters\"";

    @Test
    void digestSumsTheWholeRowHashPerBucketWithTheBucketCountAsParameter() {
        assertThat(TableDigestSql.bucketDigests("table1", "id")).isEqualTo(
                "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM (" + HASHED_ROWS + ") AS hashed"
                        + " WHERE hashed.settled GROUP BY hashed.bucket ORDER BY hashed.bucket");
    }

    @Test
    void rowHashesUseTheSameHashAndBucketsAndSelectBucketsByParameter() {
        assertThat(TableDigestSql.rowHashes("table1", "id")).isEqualTo(
                "SELECT hashed.id, hashed.hash, hashed.settled FROM (" + HASHED_ROWS + ") AS hashed"
                        + " WHERE hashed.bucket = ANY (CAST(? AS integer[])) ORDER BY hashed.id");
    }

    @Test
    void unsettledDeletesAreTombstonesAtOrAfterTheirOriginsCutoffInTheGivenBuckets() {
        assertThat(TableDigestSql.unsettledDeletes("table1")).isEqualTo(
                "SELECT DISTINCT t.\"id\" FROM \"public\".\"pgmesh_tombstones_table1\" AS t CROSS JOIN"
                        + " (SELECT CAST(? AS integer) AS n, CAST(CAST(? AS text[]) AS timestamptz[]) AS cutoffs)"
                        + " AS \"Parameters\" WHERE ((t.\"id\" % \"Parameters\".n) + \"Parameters\".n) % \"Parameters\".n"
                        + " = ANY (CAST(? AS integer[])) AND NOT (t.\"deleted_ts\" < coalesce(\"Parameters\".cutoffs["
                        + "t.\"deleted_by\" + 1], 'infinity'::timestamptz)) ORDER BY 1");
    }

    @Test
    void cutoffsAreIndexedByOriginPlusOneWithGapsAsNull() {
        io.pgmesh.protocol.SettledCutoffs cutoffs = new io.pgmesh.protocol.SettledCutoffs(java.util.List.of(
                new io.pgmesh.protocol.SettledCutoffs.OriginCutoff(3, "2026-11-27T13:00:00.000001Z"),
                new io.pgmesh.protocol.SettledCutoffs.OriginCutoff(0, "2026-11-27T13:00:02Z")));
        assertThat(TableDigests.cutoffTexts(cutoffs))
                .containsExactly("2026-11-27T13:00:02Z", null, null, "2026-11-27T13:00:00.000001Z");
        assertThat(TableDigests.cutoffTexts(null)).isEmpty();
    }

    @Test
    void maxKeyIsTheHighestKeyOfTheTable() {
        assertThat(TableDigestSql.maxKey("table1", "id")).isEqualTo("SELECT max(\"id\") FROM \"public\".\"table1\"");
        assertThatThrownBy(() -> TableDigestSql.maxKey("t", "Id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifiersAreQuotedAndValidated() {
        assertThat(TableDigestSql.bucketDigests("lb-table", "key-col"))
                .contains("FROM \"public\".\"lb-table\" AS \"Row\"")
                .contains("\"Row\".\"key-col\" % ");
        assertThatThrownBy(() -> TableDigestSql.bucketDigests("t\"; DROP TABLE x; --", "id"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableDigestSql.rowHashes("t", "Id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aliasesCannotBeUserColumnNames() {
        // Upper case is not a valid pgmesh name, so no column can shadow the whole-row reference.
        assertThat(io.pgmesh.protocol.SqlNames.isValid("Row")).isFalse();
        assertThat(io.pgmesh.protocol.SqlNames.isValid("Parameters")).isFalse();
    }

    @Test
    void snapshotIsReadOnlyRepeatableReadInUtcWithPinnedTextForms() {
        assertThat(TableDigestSql.SNAPSHOT_SETTINGS.get(0))
                .isEqualTo("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        assertThat(TableDigestSql.SNAPSHOT_SETTINGS).contains(
                "SET LOCAL TimeZone = 'UTC'",
                "SET LOCAL DateStyle = 'ISO, YMD'",
                "SET LOCAL extra_float_digits = 3");
    }
}
