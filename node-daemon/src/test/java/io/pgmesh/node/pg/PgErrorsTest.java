package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.RpcErrorCode;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class PgErrorsTest {

    @Test
    void statementErrorsArePgErrorsNamingNodeStepAndSqlState() {
        NodeOperationException e = PgErrors.failed("node1", "create publication pub_node1_t",
                new SQLException("ERROR: permission denied\n  Detail: x", "42501"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.PG_ERROR);
        assertThat(e.sqlState()).isEqualTo("42501");
        assertThat(e.node()).isEqualTo("node1");
        assertThat(e.getMessage()).isEqualTo(
                "[node1] could not create publication pub_node1_t: ERROR: permission denied (SQLSTATE 42501)");
    }

    @Test
    void failingToReachTheLocalServerIsPgUnavailable() {
        NodeOperationException e = PgErrors.failed("node1", "connect to database lb-test",
                new SQLException("Connection refused", "08001"));
        assertThat(e.code()).isEqualTo(RpcErrorCode.PG_UNAVAILABLE);
        assertThat(e.sqlState()).isEqualTo("08001");
    }

    @Test
    void aServerThatIsStoppingCrashingOrStartingIsUnavailable() {
        for (String state : new String[]{"57P01", "57P02", "57P03", "08006"}) {
            assertThat(PgErrors.isLocalServerUnavailable(new SQLException("terminating connection", state)))
                    .as(state).isTrue();
        }
        assertThat(PgErrors.isLocalServerUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(PgErrors.isLocalServerUnavailable(new SQLException("no state"))).isFalse();
    }
}
