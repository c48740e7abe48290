package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.conflict.RowExplainer;
import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.protocol.RepairRequest;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.Tombstone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code pgmesh repair}: anti-entropy. Logical replication orders changes per origin, not across
 * origins, so a node can receive an update of a row before the insert of it from another node;
 * PostgreSQL skips such an update and the node keeps an old version. Repair checks the cluster,
 * and for every differing row lets the conflict rules pick the winner from all nodes' versions and
 * deletes, then applies it where it is missing, as a replicated change. Only ever moves a row
 * forward under the rules, so it is safe while clients write.
 */
public final class ClusterRepair {

    /** What a repair did and how the cluster compares afterwards. */
    public record Result(int rowsExamined, int rowsRepaired, ClusterCheck.Result after) {
    }

    private final ClusterContext ctx;

    public ClusterRepair(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(Duration drainTimeout) {
        ClusterCheck.Result before = new ClusterCheck(ctx).run(drainTimeout);
        if (before.identical()) {
            ctx.log().accept("[repair] nodes are identical: nothing to repair");
            return new Result(0, 0, before);
        }
        int examined = 0;
        int repaired = 0;
        Map<String, NodeContainer> nodes = ctx.containers().list(ctx.cluster()).stream()
                .filter(NodeContainer::running).collect(Collectors.toMap(NodeContainer::node, Function.identity()));
        for (ClusterCheck.TableResult table : before.tables()) {
            TreeSet<Long> ids = table.differences().values().stream().flatMap(List::stream)
                    .map(Divergence.RowDifference::id).collect(Collectors.toCollection(TreeSet::new));
            for (long id : ids) {
                examined++;
                repaired += repairRow(nodes, table.table(), id);
            }
        }
        ctx.log().accept("[repair] " + repaired + " row versions applied for " + examined + " differing rows");
        ClusterCheck.Result after = new ClusterCheck(ctx).run(drainTimeout);
        return new Result(examined, repaired, after);
    }

    private int repairRow(Map<String, NodeContainer> nodes, String table, long id) {
        RowExplainer.Explanation e = new RowExplainer(ctx).explain(table, id);
        Optional<RowVersion> winner = e.outcome().winner().flatMap(w -> e.nodes().stream()
                .map(RowExplanation::row).filter(Objects::nonNull).filter(r -> RowExplainer.version(r).equals(w)).findFirst());
        List<Tombstone> tombstones = e.nodes().stream().flatMap(n -> n.tombstones().stream()).distinct().toList();
        int applied = 0;
        for (RowExplanation n : e.nodes()) {
            boolean rowRight = winner.map(w -> n.row() != null && RowExplainer.version(n.row()).equals(RowExplainer.version(w)))
                    .orElse(n.row() == null);
            boolean tombstonesRight = n.tombstones().containsAll(tombstones);
            if (rowRight && tombstonesRight) {
                continue;
            }
            try (NodeRpcClient client = ctx.rpc(nodes.get(n.node()))) {
                StepResult r = client.api().repairRow(new RepairRequest(ctx.config().database(), table, id,
                        winner.orElse(null), tombstones));
                ctx.logStep(n.node(), "repair " + table + " id " + id + " to " + winner.map(w -> "version "
                        + RowExplainer.version(w)).orElse("deleted"), r);
                applied += r.changed() ? 1 : 0;
            }
        }
        return applied;
    }
}
