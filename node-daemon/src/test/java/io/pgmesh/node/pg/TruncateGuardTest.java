package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TruncateGuardTest {

    @Test
    void theTriggerRunsBeforeEachTruncateStatementOfTheTable() {
        assertThat(TruncateGuard.createTrigger("table1")).isEqualTo("CREATE TRIGGER \"pgmesh_refuse_truncate\""
                + " BEFORE TRUNCATE ON \"public\".\"table1\" FOR EACH STATEMENT"
                + " EXECUTE FUNCTION \"public\".\"pgmesh_refuse_truncate\"()");
    }

    @Test
    void aTableNameThatIsNoValidIdentifierIsRefused() {
        assertThatThrownBy(() -> TruncateGuard.createTrigger("t1\"; DROP TABLE t2; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid SQL name");
    }

    @Test
    void theFunctionRaisesFeatureNotSupportedWithADeleteHint() {
        assertThat(TruncateGuard.FUNCTION_BODY).contains("RAISE EXCEPTION")
                .contains("ERRCODE = 'feature_not_supported'")
                .contains("HINT = 'Use DELETE FROM ' || quote_ident(TG_TABLE_NAME)");
        assertThat(TruncateGuard.createOrReplaceFunction())
                .startsWith("CREATE OR REPLACE FUNCTION \"public\".\"pgmesh_refuse_truncate\"() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp")
                .contains("$pgmesh$" + TruncateGuard.FUNCTION_BODY + "$pgmesh$");
    }
}
