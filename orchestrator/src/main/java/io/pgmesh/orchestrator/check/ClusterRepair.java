package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.StepResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code pgmesh repair}: anti-entropy. Logical replication orders changes per origin, not across
 * origins, so a node can receive an update of a row before the insert of it from another node;
 * PostgreSQL skips such an update and the node keeps an old version. Repair checks the cluster (a
 * check that leaves out changes still in flight, so it never chases rows clients are writing), then
 * for the rows that truly differ reads every node's state in batches, lets the conflict rules pick
 * the winner ({@link RepairPlan}) and applies it where it is missing, as replicated changes in
 * batches. Only ever moves a row forward under the rules, so it is safe while clients write.
 */
public final class ClusterRepair {

    /** Keys read and repaired per call. */
    static final int BATCH = RowStatesRequest.MAX_IDS;
    /** Repaired rows logged one by one per node and batch; the rest are counted. */
    private static final int ROWS_LOGGED = 5;

    /**
     * What a repair did and how the cluster compares afterwards.
     *
     * @param rowsExamined the keys that differed
     * @param rowsRepaired the row versions (or deletes) applied, over all nodes
     * @param undecidable  keys whose nodes hold one version with different values: no rule picks one, left alone
     */
    public record Result(int rowsExamined, int rowsRepaired, ClusterCheck.Result after, List<Long> undecidable) {
        public Result(int rowsExamined, int rowsRepaired, ClusterCheck.Result after) {
            this(rowsExamined, rowsRepaired, after, List.of());
        }
    }

    private final ClusterContext ctx;

    public ClusterRepair(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** Repairs, then checks again: {@link Result#after()} says how the cluster compares now. */
    public Result run(Duration drainTimeout) {
        return run(drainTimeout, true);
    }

    /** Repairs; with {@code checkAfter} false, {@link Result#after()} is the check the repair began with. */
    public Result run(Duration drainTimeout, boolean checkAfter) {
        return run(drainTimeout, checkAfter, Map.of());
    }

    /**
     * add-node's repair: only rows changed since the join began can have been reordered by it, so only
     * those are compared (all rows when the join's start is unknown); no second check.
     */
    public Result afterJoin(NodeJoin.Joined joined, Duration drainTimeout) {
        try {
            return run(drainTimeout, false, joined.changedSince());
        } catch (RuntimeException e) {
            // the node is a member by now: running add-node again would add ANOTHER node
            throw new IllegalStateException(io.pgmesh.protocol.NodeException.prefixed(joined.node().node(),
                    "has joined cluster " + ctx.cluster() + " and catches up by itself, but the repair of what changed"
                            + " during its join failed: " + e.getMessage() + "; do not add it again: run 'pgmesh"
                            + " repair' once the writers slow down"), e);
        }
    }

    private Result run(Duration drainTimeout, boolean checkAfter, Map<Integer, String> changedSince) {
        ClusterCheck.Result before = new ClusterCheck(ctx).run(drainTimeout, changedSince);
        if (before.identical()) {
            ctx.log().accept("[repair] nodes are identical: nothing to repair");
            return new Result(0, 0, before);
        }
        int examined = 0;
        int repaired = 0;
        List<Long> undecidable = new ArrayList<>();
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running).toList();
        try (NodeCalls calls = NodeCalls.open(ctx, nodes)) {
            for (ClusterCheck.TableResult table : before.tables()) {
                List<Long> ids = List.copyOf(table.differences().values().stream().flatMap(List::stream)
                        .map(Divergence.RowDifference::id).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
                examined += ids.size();
                for (int from = 0; from < ids.size(); from += BATCH) {
                    List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                    RepairPlan.Plan plan = plan(calls, table.table(), batch);
                    undecidable.addAll(plan.undecidable());
                    repaired += apply(calls, table.table(), plan);
                }
            }
        }
        ctx.log().accept("[repair] " + repaired + " row versions applied for " + examined + " differing rows");
        if (!undecidable.isEmpty()) {
            ctx.log().accept("[repair] left alone " + undecidable.size() + " rows whose nodes hold the same version with"
                    + " different values (no rule picks one; changed behind replication's back?): "
                    + undecidable.stream().limit(20).toList());
        }
        ClusterCheck.Result after = checkAfter ? new ClusterCheck(ctx).run(drainTimeout) : before;
        return new Result(examined, repaired, after, List.copyOf(undecidable));
    }

    private RepairPlan.Plan plan(NodeCalls calls, String table, List<Long> ids) {
        RowStatesRequest request = new RowStatesRequest(ctx.config().database(), table, ids);
        Map<String, List<RowState>> states = new java.util.LinkedHashMap<>();
        calls.onEach(c -> c.api().rowStates(request)).forEach((node, answer) -> states.put(node, answer.rows()));
        return RepairPlan.plan(states);
    }

    /** Applies each node's fixes, one call per node and batch; returns how many rows changed. */
    private int apply(NodeCalls calls, String table, RepairPlan.Plan plan) {
        int changed = 0;
        for (Map.Entry<String, List<RowState>> fix : plan.fixes().entrySet()) {
            String node = fix.getKey();
            StepResult r = calls.client(node).api().repairRows(new RepairRowsRequest(ctx.config().database(), table,
                    fix.getValue()));
            changed += r.actions().size();
            ctx.log(node, "repair " + table + ": " + fix.getValue().size() + " rows to bring forward, "
                    + r.actions().size() + " changed");
            r.actions().stream().limit(ROWS_LOGGED).forEach(a -> ctx.log(node, "  " + a));
            if (r.actions().size() > ROWS_LOGGED) {
                ctx.log(node, "  ... and " + (r.actions().size() - ROWS_LOGGED) + " more");
            }
        }
        return changed;
    }
}
