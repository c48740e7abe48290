package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.jsonrpc4j.ErrorResolver;
import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.RpcErrorData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;

/**
 * Maps what a method threw to a JSON-RPC error: {@link NodeOperationException} keeps its code,
 * message and data; anything else is INTERNAL, logged with its stack trace.
 */
public final class NodeErrorResolver implements ErrorResolver {

    private static final Logger log = LoggerFactory.getLogger(NodeErrorResolver.class);

    private final Supplier<String> nodeName;

    public NodeErrorResolver(Supplier<String> nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public JsonError resolveError(Throwable thrown, Method method, List<JsonNode> arguments) {
        return toJsonError(thrown, method == null ? "?" : method.getName());
    }

    JsonError toJsonError(Throwable thrown, String methodName) {
        if (thrown instanceof NodeOperationException e) {
            log.warn("{} failed: {}", methodName, e.getMessage());
            return new JsonError(e.code().code(), e.getMessage(), e.data());
        }
        String node = nodeName.get();
        log.error("[{}] {} failed with an unexpected error", node, methodName, thrown);
        NodeOperationException internal = new NodeOperationException(RpcErrorCode.INTERNAL, node,
                "internal error in " + methodName + ": " + thrown, null, null);
        return new JsonError(RpcErrorCode.INTERNAL.code(), internal.getMessage(), internal.data());
    }
}
