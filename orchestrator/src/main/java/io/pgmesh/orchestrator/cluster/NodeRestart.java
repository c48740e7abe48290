package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.wait.Poll;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings a stopped or killed node of the cluster back: starts its container (same data, same
 * address, same host ports), waits for its daemon, then until every node's subscriptions
 * stream again (the node's to its peers and theirs to it) and the changes the node missed have
 * been applied everywhere. A node that already runs is only checked: running it again is harmless.
 */
public final class NodeRestart {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** How often a long wait says what it still waits for. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final ClusterContext ctx;

    public NodeRestart(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Starts {@code node} and returns its container once the mesh is healthy and drained. */
    public NodeContainer startNode(String node, Duration catchUpTimeout) {
        List<NodeContainer> members = ctx.runtime().list(ctx.cluster());
        NodeContainer container = members.stream().filter(c -> c.node().equals(node)).findFirst()
                .orElseThrow(() -> new UsageException("NODE", "cluster " + ctx.cluster() + " has no node '" + node
                        + "' (nodes: " + members.stream().map(NodeContainer::node).collect(Collectors.joining(", "))
                        + "); use 'pgmesh add-node' to add one"));
        NodeContainer started = new NodeStarter(ctx).ensureRunning(container.index(), null, container);
        awaitCaughtUp(node, catchUpTimeout);
        return started;
    }

    /** Waits until every subscription from and to {@code node} streams and the changes it missed are applied. */
    void awaitCaughtUp(String node, Duration catchUpTimeout) {
        ctx.log(node, "waiting until every subscription from and to it streams again (deadline "
                + catchUpTimeout.toSeconds() + " s)");
        long start = System.nanoTime();
        awaitHealthy(line -> ctx.log(node, line), catchUpTimeout);
        Duration drained = new ReplicationDrain(ctx).await(catchUpTimeout);
        ctx.log(node, String.format("caught up: mesh healthy after %.1f s, missed changes applied in %.1f s",
                (System.nanoTime() - start) / 1e9 - drained.toMillis() / 1000.0, drained.toMillis() / 1000.0));
    }

    /**
     * {@code pgmesh start}: starts every stopped node of the cluster (each on its data, at its address and
     * host ports), then waits until every subscription streams and what each node missed is applied.
     * Returns the nodes started.
     */
    public List<String> startAll(Duration catchUpTimeout) {
        List<NodeContainer> members = ctx.runtime().list(ctx.cluster());
        if (members.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes"
                    + (ctx.runtime().volumes(ctx.cluster()).isEmpty() ? " (run 'pgmesh up')"
                    : " but kept data: 'pgmesh up' brings the nodes back on it"));
        }
        List<NodeContainer> stopped = members.stream().filter(c -> !c.running()).toList();
        for (NodeContainer c : stopped) {
            new NodeStarter(ctx).ensureRunning(c.index(), null, c);
        }
        awaitMeshCaughtUp("[start]", catchUpTimeout);
        ctx.log().accept("[start] cluster " + ctx.cluster() + ": " + stopped.size() + " node(s) started, "
                + (members.size() - stopped.size()) + " already running");
        return stopped.stream().map(NodeContainer::node).toList();
    }

    /** Waits until every node is healthy (every subscription streams) and replication has drained. */
    void awaitMeshCaughtUp(String prefix, Duration catchUpTimeout) {
        ctx.log().accept(prefix + " waiting until every subscription streams and what each node missed is applied"
                + " (deadline " + catchUpTimeout.toSeconds() + " s)");
        long start = System.nanoTime();
        awaitHealthy(line -> ctx.log().accept(prefix + " " + line), catchUpTimeout);
        Duration drained = new ReplicationDrain(ctx).await(catchUpTimeout);
        ctx.log().accept(String.format("%s mesh healthy after %.1f s, missed changes applied in %.1f s", prefix,
                (System.nanoTime() - start) / 1e9 - drained.toMillis() / 1000.0, drained.toMillis() / 1000.0));
    }

    /** Polls status until every node is healthy, telling {@code progress} every few seconds what it waits for. */
    private void awaitHealthy(java.util.function.Consumer<String> progress, Duration timeout) {
        ClusterStatus status = new ClusterStatus(ctx);
        long start = System.nanoTime();
        long[] lastReport = {start};
        try {
            Poll.until("every node healthy", timeout, POLL_INTERVAL, () -> {
                List<NodeReport> reports = status.collect();
                if (reports.stream().allMatch(r -> NodeReport.HEALTHY.equals(r.health()))) {
                    return Optional.of(reports);
                }
                if (System.nanoTime() - lastReport[0] > PROGRESS_EVERY.toNanos()) {
                    lastReport[0] = System.nanoTime();
                    progress.accept(String.format("still waiting (%.0f s): %s", (lastReport[0] - start) / 1e9,
                            unhealthy(reports)));
                }
                return Optional.empty();
            });
        } catch (Poll.TimeoutException e) {
            throw new IllegalStateException("the mesh did not become healthy within " + timeout.toSeconds()
                    + " s: " + unhealthy(status.collect()) + "; see 'pgmesh status' and 'pgmesh logs NODE'", e);
        }
    }

    /** The nodes that are not healthy, each with its detail and the subscriptions of it that do not stream. */
    static String unhealthy(List<NodeReport> reports) {
        return reports.stream().filter(r -> !NodeReport.HEALTHY.equals(r.health()))
                .map(r -> r.container().node() + " " + r.health() + " (" + r.detail()
                        + (r.status() == null ? "" : r.status().subscriptions().stream().filter(s -> !s.streaming())
                        .map(s -> s.peer() + " " + s.stateDescription())
                        .collect(Collectors.joining(", ", r.detail().isEmpty() ? "" : ": ", ""))) + ")")
                .collect(Collectors.joining("; "));
    }
}
