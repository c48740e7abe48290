package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.ReplicationProgress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until every subscription has applied its publisher's WAL up to the position the publisher
 * had when the wait began (the publisher's {@code pg_current_wal_lsn()}, compared with each
 * walsender's reported replay position), with a deadline.
 */
public final class ReplicationDrain {

    private final ClusterContext ctx;

    public ReplicationDrain(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Waits on the cluster's running nodes; returns how long it took. */
    public Duration await(Duration timeout) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running).toList();
        Map<String, NodeSession> clients = new LinkedHashMap<>();
        try {
            nodes.forEach(n -> clients.put(n.node(), ctx.rpc(n)));
            return await(clients, timeout);
        } finally {
            clients.values().forEach(NodeSession::close);
        }
    }

    Duration await(Map<String, NodeSession> clients, Duration timeout) {
        long start = System.nanoTime();
        Map<String, Lsn> targets = new LinkedHashMap<>();
        clients.forEach((node, c) -> targets.put(node, c.api().replicationProgress().currentLsn()));
        List<String> nodes = List.copyOf(clients.keySet());
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        try {
            Poll.until("replication drained", timeout, Duration.ofMillis(50), () -> {
                Map<String, ReplicationProgress> progress = new LinkedHashMap<>();
                clients.forEach((node, c) -> progress.put(node, c.api().replicationProgress()));
                List<String> lagging = DrainState.laggards(nodes, tables, targets, progress);
                last.set(0, lagging);
                return lagging.isEmpty() ? Optional.of(true) : Optional.empty();
            });
        } catch (Poll.TimeoutException e) {
            throw new IllegalStateException("replication did not drain within " + timeout.toSeconds() + " s; behind: "
                    + String.join("; ", last.get(0)), e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
