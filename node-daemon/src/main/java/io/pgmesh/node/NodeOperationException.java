package io.pgmesh.node;

import io.pgmesh.protocol.RpcErrorCode;

/** The one exception that crosses the RPC boundary: it becomes a JSON-RPC error with RpcErrorData. */
public class NodeOperationException extends RuntimeException {

    private final RpcErrorCode code;
    private final String node;
    private final String sqlState;
    private final String field;

    public NodeOperationException(RpcErrorCode code, String node, String message, String sqlState, String field) {
        this(code, node, message, sqlState, field, null);
    }

    public NodeOperationException(RpcErrorCode code, String node, String message, String sqlState, String field,
                                  Throwable cause) {
        super(message, cause);
        this.code = code;
        this.node = node;
        this.sqlState = sqlState;
        this.field = field;
    }

    /** A request field is invalid; nothing was executed. */
    public static NodeOperationException invalid(String node, String field, String problem) {
        return new NodeOperationException(RpcErrorCode.INVALID_REQUEST, node,
                "[" + node + "] invalid " + field + ": " + problem, null, field);
    }

    /** The node lacks something an earlier call must provide. */
    public static NodeOperationException notConfigured(String node, String problem) {
        return new NodeOperationException(RpcErrorCode.NOT_CONFIGURED, node, "[" + node + "] " + problem, null, null);
    }

    public RpcErrorCode code() {
        return code;
    }

    public String node() {
        return node;
    }

    public String sqlState() {
        return sqlState;
    }

    public String field() {
        return field;
    }
}
