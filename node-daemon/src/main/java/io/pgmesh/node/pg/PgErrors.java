package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.pool.SqlStates;
import io.pgmesh.protocol.RpcErrorCode;
import org.postgresql.util.PSQLException;

import java.sql.SQLException;

/** Turns SQLExceptions into the boundary exception, naming the node, the step and the SQLSTATE. */
public final class PgErrors {

    private PgErrors() {
    }

    /**
     * @param doing what failed, e.g. "create subscription sub_node1_node0_table1"
     */
    public static NodeOperationException failed(String node, String doing, SQLException e) {
        String state = e.getSQLState();
        String detail = "could not " + doing + ": " + firstLine(e.getMessage())
                + (state == null ? "" : " (SQLSTATE " + state + ")");
        RpcErrorCode code = isLocalServerUnavailable(e) ? RpcErrorCode.PG_UNAVAILABLE : RpcErrorCode.PG_ERROR;
        return new NodeOperationException(code, node, detail, state, null, e);
    }

    /**
     * Class 08 means the connection to the local server failed, unless the server itself reported
     * it (e.g. CREATE SUBSCRIPTION could not reach a peer): then the local server is fine. 57P01,
     * 57P02 and 57P03 (admin shutdown, crash shutdown, cannot connect now) always concern the local
     * server: it is stopping, crashing or starting. Which states those are is {@link SqlStates}'s
     * to say (the pool classifies with it too).
     */
    public static boolean isLocalServerUnavailable(SQLException e) {
        String state = e.getSQLState();
        if (SqlStates.isServerStoppingOrStarting(state)) {
            return true;
        }
        return SqlStates.isConnectionClass(state) && !(e instanceof PSQLException p && p.getServerErrorMessage() != null);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
