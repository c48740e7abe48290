package io.pgmesh.orchestrator.rpc;

import io.pgmesh.protocol.RpcErrorCode;

/**
 * A call to a node daemon failed: the daemon answered with a JSON-RPC error, or it could not be
 * reached. Carries the node, the wire error code (and our {@link RpcErrorCode} when it is one of
 * ours) and, for database errors, the SQLSTATE.
 */
public class NodeRpcException extends RuntimeException {

    /** Wire code used when the daemon was not reached or did not answer. */
    public static final int TRANSPORT = -1;

    private final String node;
    private final int wireCode;
    private final String sqlState;
    private final String field;

    public NodeRpcException(String node, int wireCode, String message, String sqlState, String field,
                            Throwable cause) {
        super(message, cause);
        this.node = node;
        this.wireCode = wireCode;
        this.sqlState = sqlState;
        this.field = field;
    }

    public String node() {
        return node;
    }

    public int wireCode() {
        return wireCode;
    }

    /** Our error code, or null for JSON-RPC standard errors and transport failures. */
    public RpcErrorCode errorCode() {
        return RpcErrorCode.fromCode(wireCode);
    }

    public boolean isTransportFailure() {
        return wireCode == TRANSPORT;
    }

    public String sqlState() {
        return sqlState;
    }

    public String field() {
        return field;
    }
}
