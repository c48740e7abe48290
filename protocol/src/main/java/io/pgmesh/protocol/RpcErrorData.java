package io.pgmesh.protocol;

/**
 * The {@code data} member of a daemon's JSON-RPC error.
 *
 * @param node     the node that failed
 * @param errorCode symbolic name of the {@link RpcErrorCode}
 * @param sqlState PostgreSQL SQLSTATE, or null when the error did not come from PostgreSQL
 * @param field    the request field at fault for {@link RpcErrorCode#INVALID_REQUEST}, else null
 * @param detail   what failed, without the node (the error's message is this prefixed with the node)
 */
public record RpcErrorData(String node, String errorCode, String sqlState, String field, String detail) {
}
