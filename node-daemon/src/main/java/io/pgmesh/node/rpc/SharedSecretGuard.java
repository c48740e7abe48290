package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.RpcAuth;
import io.pgmesh.protocol.RpcErrorCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Admits a call only when its {@value RpcAuth#FIELD} member equals the cluster's secret
 * (compared in constant time). A refusal is logged with the method, never with what was sent.
 */
public final class SharedSecretGuard implements CallGuard {

    private final byte[] secret;
    private final Supplier<String> nodeName;

    public SharedSecretGuard(String secret, Supplier<String> nodeName) {
        if (secret == null || secret.length() < RpcAuth.MIN_LENGTH) {
            throw new IllegalArgumentException("the RPC secret must be at least " + RpcAuth.MIN_LENGTH + " characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.nodeName = nodeName;
    }

    @Override
    public void admit(ObjectNode request) {
        JsonNode presented = request.get(RpcAuth.FIELD);
        String method = request.path("method").asText();
        if (presented == null || !presented.isTextual()) {
            refuse(method, "the call carries no cluster secret (member \"" + RpcAuth.FIELD + "\")");
        }
        byte[] given = presented.textValue().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(secret, given)) {
            refuse(method, "the call carries a wrong cluster secret");
        }
    }

    private void refuse(String method, String reason) {
        String node = nodeName.get();
        // NodeErrorResolver logs the refusal (method and reason) as it turns it into the response
        throw new NodeOperationException(RpcErrorCode.UNAUTHORIZED, node,
                method + " refused: " + reason, null, null);
    }
}
