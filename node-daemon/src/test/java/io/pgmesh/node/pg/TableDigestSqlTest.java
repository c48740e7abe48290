package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableDigestSqlTest {

    private static final String HASHED_ROWS = "SELECT \"Row\".\"id\" AS id,"
            + " ((\"Row\".\"id\" % \"Parameters\".n) + \"Parameters\".n) % \"Parameters\".n AS bucket,"
            + " ('x' || substr(md5(\"Row\"::text), 1, 16))::bit(64)::bigint AS hash"
            + " FROM \"public\".\"table1\" AS \"Row\" CROSS JOIN (SELECT CAST(? AS integer) AS n) AS \"Parameters\"";

    @Test
    void digestSumsTheWholeRowHashPerBucketWithTheBucketCountAsParameter() {
        assertThat(TableDigestSql.bucketDigests("table1", "id")).isEqualTo(
                "SELECT hashed.bucket, count(*), sum(hashed.hash) FROM (" + HASHED_ROWS + ") AS hashed"
                        + " GROUP BY hashed.bucket ORDER BY hashed.bucket");
    }

    @Test
    void rowHashesUseTheSameHashAndBucketsAndSelectBucketsByParameter() {
        assertThat(TableDigestSql.rowHashes("table1", "id")).isEqualTo(
                "SELECT hashed.id, hashed.hash FROM (" + HASHED_ROWS + ") AS hashed"
                        + " WHERE hashed.bucket = ANY (CAST(? AS integer[])) ORDER BY hashed.id");
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
