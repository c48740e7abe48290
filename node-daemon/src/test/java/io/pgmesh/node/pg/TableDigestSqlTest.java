package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableDigestSqlTest {

    private static final String PARAMETERS = "WITH \"Parameters\" AS (SELECT CAST(? AS integer) AS n,"
            + " CAST(CAST(? AS text[]) AS timestamptz[]) AS cutoffs, CAST(CAST(? AS text[]) AS timestamptz[]) AS since) ";
    private static final String HASHED_ROWS = "SELECT \"Row\".\"id\" AS id,"
            + " ((\"Row\".\"id\" % \"Parameters\".n) + \"Parameters\".n) % \"Parameters\".n AS bucket,"
            + " ('x' || substr(md5(\"Row\"::text), 1, 16))::bit(64)::bigint AS hash,"
            + " (\"Row\".\"modified_ts\" < coalesce(\"Parameters\".cutoffs[\"Row\".\"modified_by\" + 1],"
            + " 'infinity'::timestamptz)) AS settled,"
            + " (\"Row\".\"modified_ts\" >= coalesce(\"Parameters\".since[\"Row\".\"modified_by\" + 1],"
            + " '-infinity'::timestamptz)) AS in_window"
            + " FROM \"public\".\"table1\" AS \"Row\" CROSS JOIN \"Parameters\"";

    @Test
    void digestSumsTheWholeRowHashPerBucketOfTheSettledRowsInTheWindow() {
        assertThat(TableDigestSql.bucketDigests("table1", "id", false)).isEqualTo(PARAMETERS
                + "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM (" + HASHED_ROWS + ") AS hashed"
                + " WHERE hashed.settled AND hashed.in_window"
                + " AND NOT EXISTS (SELECT 1 FROM unnest(CAST(? AS bigint[])) AS \"LeftOut\"(id)"
                + " WHERE \"LeftOut\".id = hashed.id) GROUP BY hashed.bucket ORDER BY hashed.bucket");
    }

    @Test
    void unsettledKeysAreRowsAndDeletesAtOrAfterTheirOriginsCutoffWithoutHashing() {
        assertThat(TableDigestSql.unsettledKeys("table1", "id")).isEqualTo(PARAMETERS
                + "SELECT u.id FROM (SELECT \"Row\".\"id\" AS id FROM \"public\".\"table1\" AS \"Row\""
                + " CROSS JOIN \"Parameters\" WHERE NOT (\"Row\".\"modified_ts\" < coalesce(\"Parameters\".cutoffs["
                + "\"Row\".\"modified_by\" + 1], 'infinity'::timestamptz)) UNION SELECT t.\"id\" FROM"
                + " \"public\".\"pgmesh_tombstones_table1\" AS t CROSS JOIN \"Parameters\" WHERE NOT (t.\"deleted_ts\""
                + " < coalesce(\"Parameters\".cutoffs[t.\"deleted_by\" + 1], 'infinity'::timestamptz))) AS u"
                + " ORDER BY 1 LIMIT CAST(? AS integer)");
    }

    @Test
    void rowHashesUseTheSameHashAndBucketsAndListUnsettledRowsToo() {
        assertThat(TableDigestSql.rowHashes("table1", "id", false)).isEqualTo(PARAMETERS
                + "SELECT hashed.id, hashed.hash, hashed.settled FROM (" + HASHED_ROWS + ") AS hashed"
                + " WHERE hashed.bucket = ANY (CAST(? AS integer[])) AND (hashed.in_window OR NOT hashed.settled)"
                + " ORDER BY hashed.id");
    }

    @Test
    void aWindowAddsDeletedKeysWithoutARowAsTheirNewestDelete() {
        String windowed = TableDigestSql.bucketDigests("table1", "id", true);
        assertThat(windowed).startsWith(PARAMETERS).contains(HASHED_ROWS + " UNION ALL SELECT t.\"id\"")
                .contains("FROM (SELECT DISTINCT ON (\"id\") \"id\", \"deleted_ts\", \"deleted_by\" FROM"
                        + " \"public\".\"pgmesh_tombstones_table1\" ORDER BY \"id\", \"deleted_ts\" DESC, \"deleted_by\" DESC)")
                .contains("NOT EXISTS (SELECT 1 FROM \"public\".\"table1\" AS \"Present\" WHERE \"Present\".\"id\" = t.\"id\")");
        assertThat(TableDigestSql.bucketDigests("table1", "id", false)).doesNotContain("UNION");
        assertThat(TableDigestSql.rowHashes("table1", "id", true)).contains(" UNION ALL ");
    }

    @Test
    void unsettledDeletesAreTombstonesAtOrAfterTheirOriginsCutoffInTheGivenBuckets() {
        assertThat(TableDigestSql.unsettledDeletes("table1")).isEqualTo(PARAMETERS
                + "SELECT DISTINCT t.\"id\" FROM \"public\".\"pgmesh_tombstones_table1\" AS t CROSS JOIN \"Parameters\""
                + " WHERE ((t.\"id\" % \"Parameters\".n) + \"Parameters\".n) % \"Parameters\".n"
                + " = ANY (CAST(? AS integer[])) AND NOT (t.\"deleted_ts\" < coalesce(\"Parameters\".cutoffs["
                + "t.\"deleted_by\" + 1], 'infinity'::timestamptz)) ORDER BY 1");
    }

    @Test
    void cutoffsAreIndexedByOriginPlusOneWithGapsAsNull() {
        io.pgmesh.protocol.SettledCutoffs cutoffs = new io.pgmesh.protocol.SettledCutoffs(java.util.List.of(
                new io.pgmesh.protocol.SettledCutoffs.OriginCutoff(3, "2026-11-27T13:00:00.000001Z"),
                new io.pgmesh.protocol.SettledCutoffs.OriginCutoff(0, "2026-11-27T13:00:02Z")));
        assertThat(TableDigests.byOriginTexts(cutoffs.byOrigin()))
                .containsExactly("2026-11-27T13:00:02Z", null, null, "2026-11-27T13:00:00.000001Z");
        assertThat(TableDigests.byOriginTexts(cutoffs.since())).isEmpty();
    }

    @Test
    void maxKeyIsTheHighestKeyOfTheTable() {
        assertThat(TableDigestSql.maxKey("table1", "id")).isEqualTo("SELECT max(\"id\") FROM \"public\".\"table1\"");
        assertThatThrownBy(() -> TableDigestSql.maxKey("t", "Id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identifiersAreQuotedAndValidated() {
        assertThat(TableDigestSql.bucketDigests("lb-table", "key-col", true))
                .contains("FROM \"public\".\"lb-table\" AS \"Row\"")
                .contains("\"Row\".\"key-col\" % ");
        assertThatThrownBy(() -> TableDigestSql.bucketDigests("t\"; DROP TABLE x; --", "id", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableDigestSql.rowHashes("t", "Id", false))
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
