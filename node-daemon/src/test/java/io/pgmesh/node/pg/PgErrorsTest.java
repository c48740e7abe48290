package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.RpcErrorCode;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

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
        assertThat(PgErrors.isLocalServerUnavailable(new SQLException("canceled", "57014"))).isFalse();
        assertThat(PgErrors.isLocalServerUnavailable(new SQLException("idle session timeout", "57P05"))).isFalse();
        assertThat(PgErrors.isLocalServerUnavailable(new SQLException("no state"))).isFalse();
    }

    @Test
    void aConnectionErrorTheLocalServerReportsConcernsAPeerNotTheLocalServer() {
        // e.g. CREATE SUBSCRIPTION whose publisher cannot be reached: the local server answered, so it is up
        PSQLException fromServer = new PSQLException(new ServerErrorMessage(
                "SERROR\0VERROR\0C08006\0Mcould not connect to the publisher: connection refused\0"));
        assertThat(fromServer.getSQLState()).isEqualTo("08006");
        assertThat(PgErrors.isLocalServerUnavailable(fromServer)).isFalse();
        assertThat(PgErrors.failed("node1", "subscribe to node2", fromServer).code()).isEqualTo(RpcErrorCode.PG_ERROR);

        PSQLException fromDriver = new PSQLException("Connection to 127.0.0.1:5432 refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);
        assertThat(PgErrors.isLocalServerUnavailable(fromDriver)).isTrue();

        PSQLException shutdown = new PSQLException(new ServerErrorMessage(
                "SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0"));
        assertThat(PgErrors.isLocalServerUnavailable(shutdown)).isTrue();
    }
}
