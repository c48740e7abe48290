package io.pgmesh.node;

import io.pgmesh.protocol.NodeException;
import io.pgmesh.protocol.RpcErrorData;

import io.pgmesh.protocol.RpcErrorCode;

/**
 * The one exception that crosses the RPC boundary: it becomes a JSON-RPC error with RpcErrorData.
 * Its message is the detail prefixed with the node ({@link NodeException}).
 */
public class NodeOperationException extends NodeException {

    private final RpcErrorCode code;

    public NodeOperationException(RpcErrorCode code, String node, String detail, String sqlState, String field) {
        this(code, node, detail, sqlState, field, null);
    }

    public NodeOperationException(RpcErrorCode code, String node, String detail, String sqlState, String field,
                                  Throwable cause) {
        super(node, detail, sqlState, field, cause);
        this.code = code;
    }

    /** A request field is invalid; nothing was executed. */
    public static NodeOperationException invalid(String node, String field, String problem) {
        return new NodeOperationException(RpcErrorCode.INVALID_REQUEST, node, "invalid " + field + ": " + problem,
                null, field);
    }

    /** The node lacks something an earlier call must provide. */
    public static NodeOperationException notConfigured(String node, String problem) {
        return new NodeOperationException(RpcErrorCode.NOT_CONFIGURED, node, problem, null, null);
    }

    public RpcErrorCode code() {
        return code;
    }

    /** The error's data member on the wire. */
    public RpcErrorData data() {
        return new RpcErrorData(node(), code.name(), sqlState(), field(), detail());
    }
}
