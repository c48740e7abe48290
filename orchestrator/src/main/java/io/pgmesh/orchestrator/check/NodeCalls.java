package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * One RPC client per node, kept for a whole check or repair, and the same call made on every node
 * at once (each node works on its own; a check waits for the slowest, not for the sum).
 */
final class NodeCalls implements AutoCloseable {

    private final Map<String, NodeSession> clients;
    private final ExecutorService pool;

    private NodeCalls(Map<String, NodeSession> clients) {
        this.clients = clients;
        this.pool = Executors.newFixedThreadPool(Math.max(1, clients.size()), r -> {
            Thread t = new Thread(r, "pgmesh-node-call");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects to every node (closing what it opened if one fails). */
    static NodeCalls open(ClusterContext ctx, List<NodeContainer> nodes) {
        Map<String, NodeSession> clients = new LinkedHashMap<>();
        try {
            nodes.forEach(n -> clients.put(n.node(), ctx.rpc(n)));
        } catch (RuntimeException e) {
            clients.values().forEach(NodeSession::close);
            throw e;
        }
        return new NodeCalls(clients);
    }

    Map<String, NodeSession> clients() {
        return clients;
    }

    NodeSession client(String node) {
        NodeSession c = clients.get(node);
        if (c == null) {
            throw new IllegalStateException(NodeException.prefixed(node, "is not among the nodes being checked " + clients.keySet()));
        }
        return c;
    }

    /** The call's answer from every node, in node order; the first failure is rethrown as it was. */
    <T> Map<String, T> onEach(Function<NodeSession, T> call) {
        Map<String, CompletableFuture<T>> futures = new LinkedHashMap<>();
        clients.forEach((node, c) -> futures.put(node, CompletableFuture.supplyAsync(() -> call.apply(c), pool)));
        Map<String, T> answers = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<T>> f : futures.entrySet()) {
            try {
                answers.put(f.getKey(), f.getValue().join());
            } catch (CompletionException e) {
                futures.values().forEach(other -> other.cancel(true));
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        return answers;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        clients.values().forEach(NodeSession::close);
    }
}
