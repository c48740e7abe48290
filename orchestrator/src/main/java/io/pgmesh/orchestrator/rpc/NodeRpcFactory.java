package io.pgmesh.orchestrator.rpc;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.Endpoint;
import io.pgmesh.orchestrator.runtime.NodeRuntime;

import java.time.Duration;
import java.util.function.Supplier;

/** Opens a session with a node's daemon; the use cases never name a concrete client. */
@FunctionalInterface
public interface NodeRpcFactory {

    /** A session whose calls may each take up to {@code callTimeout}. */
    NodeSession open(NodeContainer node, Duration callTimeout);

    /**
     * JSON-RPC over mutual TLS to the endpoint the runtime names, sending the cluster's secret with every call.
     * {@code tls} is asked at each session, so a rotated orchestrator certificate is used from the next one.
     */
    static NodeRpcFactory overSockets(NodeRuntime runtime, Supplier<String> secret, Supplier<ClientTls> tls) {
        return (node, callTimeout) -> {
            Endpoint daemon = runtime.rpcEndpoint(node);
            return NodeRpcClient.forEndpoint(node.node(), daemon.host(), daemon.port(), callTimeout, secret.get(),
                    tls.get());
        };
    }
}
