package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TransactionWaitRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code pgmesh conflicts prune}: removes the conflict history no change can need any more, on every
 * node. A tombstone or shadow version only matters to a change stamped before it that has not
 * arrived yet. So, for a cutoff:
 * <ol>
 *   <li>every node must be healthy (a stopped or joining node may still hold older changes);</li>
 *   <li>on every node, every client transaction begun before the cutoff has ended (changes are
 *       stamped inside their transaction, so none stamped before the cutoff can still commit);</li>
 *   <li>replication has drained: every such change has been applied on every node;</li>
 *   <li>then each node deletes its tombstones, shadows and conflict-log entries older than the cutoff.</li>
 * </ol>
 * The cutoff must also lie further back than the clocks of the hosts can differ (docs/CONFLICTS.md, "Pruning conflict history"):
 * a node stamps its next write of a key after every tombstone it still has, and by its own clock.
 */
public final class ClusterPrune {

    /** What was pruned, per node (the daemons' actions; empty when a node had nothing older). */
    public record Result(Instant cutoff, Map<String, List<String>> actions) {
        public int nodesChanged() {
            return (int) actions.values().stream().filter(a -> !a.isEmpty()).count();
        }
    }

    /** Longest wait for open transactions the daemon accepts per call. */
    static final long MAX_TRANSACTION_WAIT_MILLIS = 100_000;

    private final ClusterContext ctx;

    public ClusterPrune(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Prunes what is older than {@code olderThan} before now (the orchestrator's clock). */
    public Result pruneOlderThan(Duration olderThan, Duration timeout) {
        if (olderThan.isNegative()) {
            throw new UsageException("--older-than", "must not be negative, got " + olderThan);
        }
        return pruneBefore(Instant.now().minus(olderThan).truncatedTo(ChronoUnit.MICROS), timeout);
    }

    public Result pruneBefore(Instant cutoff, Duration timeout) {
        List<NodeReport> nodes = new ClusterStatus(ctx).collect();
        requireEveryNodeHealthy(nodes);
        String database = ctx.config().database();
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        ctx.log().accept("[prune] cutoff " + cutoff + ": history older than this goes, on " + nodes.size() + " nodes");

        for (NodeReport node : nodes) {
            ctx.log(node.container().node(), "waiting until no transaction begun before the cutoff is open");
            try (NodeSession client = ctx.rpc(node.container())) {
                client.api().awaitTransactionsStartedBefore(new TransactionWaitRequest(database, cutoff.toString(),
                        Math.min(timeout.toMillis(), MAX_TRANSACTION_WAIT_MILLIS)));
            }
        }
        Duration drained = new ReplicationDrain(ctx).await(timeout);
        ctx.log().accept("[prune] replication drained in " + seconds(drained) + " s: every change stamped before"
                + " the cutoff is on every node");

        Map<String, List<String>> actions = new LinkedHashMap<>();
        for (NodeReport node : nodes) {
            try (NodeSession client = ctx.rpc(node.container())) {
                StepResult r = client.api().pruneHistory(new PruneRequest(database, tables, cutoff.toString()));
                if (r.actions().isEmpty()) {
                    ctx.log(r.node(), "nothing older than the cutoff to prune");
                } else {
                    r.actions().forEach(a -> ctx.log(r.node(), a));
                }
                actions.put(r.node(), r.actions());
            }
        }
        return new Result(cutoff, actions);
    }

    static void requireEveryNodeHealthy(List<NodeReport> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("the cluster has no nodes: nothing to prune");
        }
        List<NodeReport> unfit = nodes.stream().filter(n -> !NodeReport.HEALTHY.equals(n.health())).toList();
        if (!unfit.isEmpty()) {
            throw new IllegalStateException("prune needs every node healthy (a stopped or joining node may still hold"
                    + " older changes); nothing was pruned. Not healthy: " + unfit.stream()
                    .map(n -> n.container().node() + " " + n.health() + (n.detail().isEmpty() ? "" : " (" + n.detail() + ")"))
                    .collect(Collectors.joining(", ")));
        }
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
