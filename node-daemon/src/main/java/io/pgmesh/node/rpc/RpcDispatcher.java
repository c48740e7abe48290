package io.pgmesh.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.googlecode.jsonrpc4j.ErrorResolver.JsonError;
import com.googlecode.jsonrpc4j.JsonRpcBasicServer;
import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.RpcAuth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns one request frame into its response bytes (each ending in '\n'; empty for a
 * notification). It parses the frame itself so that malformed JSON and non-requests get a
 * real {@code "id": null}, runs the {@link CallGuard}, removes the secret, then lets jsonrpc4j dispatch.
 */
public final class RpcDispatcher {

    private final ObjectMapper mapper;
    private final JsonRpcBasicServer jsonRpc;
    private final CallGuard guard;
    private final NodeErrorResolver errors;

    public <T> RpcDispatcher(ObjectMapper mapper, T service, Class<T> api, NodeErrorResolver errors, CallGuard guard) {
        this.mapper = mapper;
        this.guard = guard;
        this.errors = errors;
        this.jsonRpc = new JsonRpcBasicServer(mapper, service, api);
        this.jsonRpc.setErrorResolver(errors);
        this.jsonRpc.setShouldLogInvocationErrors(false);
    }

    public byte[] handle(byte[] frame) {
        JsonNode request;
        try {
            request = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            return parseError(e.getOriginalMessage());
        } catch (IOException e) {
            return parseError(e.getMessage());
        }
        if (!(request instanceof ObjectNode call)) {
            return error(null, JsonError.INVALID_REQUEST.code,
                    "Invalid Request: expected one JSON-RPC 2.0 request object (batches are not supported)");
        }
        JsonNode id = call.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return error(null, JsonError.INVALID_REQUEST.code, "Invalid Request: id must be a string, number or null");
        }
        if (!call.path("jsonrpc").asText().equals("2.0") || !call.path("method").isTextual()) {
            return error(id, JsonError.INVALID_REQUEST.code,
                    "Invalid Request: needs \"jsonrpc\": \"2.0\" and a string \"method\"");
        }
        try {
            guard.admit(call);
        } catch (NodeOperationException e) {
            JsonError rejected = errors.toJsonError(e, call.get("method").asText());
            return error(id, rejected.code, rejected.message, rejected.data);
        }
        // the secret stops here: jsonrpc4j (and anything it logs) never sees it
        byte[] dispatched = call.remove(RpcAuth.FIELD) == null ? frame : serialize(call);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            jsonRpc.handleRequest(new ByteArrayInputStream(dispatched), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private byte[] serialize(ObjectNode call) {
        try {
            return mapper.writeValueAsBytes(call);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Response to bytes that are not JSON at all. */
    public byte[] parseError(String detail) {
        return error(null, JsonError.PARSE_ERROR.code, "Parse error: " + detail);
    }

    /** Response to a frame that cannot be a request. */
    public byte[] invalidRequest(String detail) {
        return error(null, JsonError.INVALID_REQUEST.code, "Invalid Request: " + detail);
    }

    private byte[] error(JsonNode id, int code, String message) {
        return error(id, code, message, null);
    }

    private byte[] error(JsonNode id, int code, String message, Object data) {
        ObjectNode response = mapper.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? mapper.nullNode() : id);
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", mapper.valueToTree(data));
        }
        try {
            byte[] json = mapper.writeValueAsBytes(response);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
