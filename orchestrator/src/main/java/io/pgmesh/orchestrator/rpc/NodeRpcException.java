package io.pgmesh.orchestrator.rpc;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.protocol.RpcErrorCode;

/**
 * A call to a node daemon failed: the daemon answered with a JSON-RPC error, or it could not be
 * reached. Carries the node, the wire error code (and our {@link RpcErrorCode} when it is one of
 * ours) and, for database errors, the SQLSTATE; its message is the detail prefixed with the node
 * ({@link NodeException}, the shape the daemon's errors have too).
 */
public class NodeRpcException extends NodeException {

    /** Wire code used when the daemon was not reached or did not answer. */
    public static final int TRANSPORT = -1;

    private final int wireCode;

    public NodeRpcException(String node, int wireCode, String detail, String sqlState, String field,
                            Throwable cause) {
        super(node, detail, sqlState, field, cause);
        this.wireCode = wireCode;
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
}
