package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.conflict.ConflictStress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** {@code pgmesh test conflicts}: the stress, the conflicts it made the nodes resolve, then a check. */
final class ConflictTestRun {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    private final ClusterContext ctx;
    private final PrintWriter out;

    ConflictTestRun(ClusterContext ctx, PrintWriter out) {
        this.ctx = ctx;
        this.out = out;
    }

    int run(Integer threads, int seconds, int rows) {
        int running = (int) ctx.runtime().list(ctx.cluster()).stream().filter(c -> c.running()).count();
        ConflictStress.Options options = new ConflictStress.Options(threads != null ? threads : Math.max(2, running),
                Duration.ofSeconds(seconds), rows, 1_000_000, System.nanoTime());
        Map<String, Long> before = conflicts();
        ctx.log().accept("[test conflicts] " + options.threads() + " threads pinned to " + running + " nodes fight over "
                + rows + " rows for " + seconds + " s");
        ConflictStress.Result result = new ConflictStress(ctx).run(options);
        Map<String, Long> after = conflicts();
        ctx.log().accept(String.format("[test conflicts] %d operations in %.1f s: %d errors, %d retried after a"
                        + " deadlock or serialization failure", result.total(), result.elapsed().toMillis() / 1000.0,
                result.errors(), result.retries()));
        result.operations().forEach((node, ops) -> ctx.log().accept("  " + node + ": " + ops + ", conflicts resolved "
                + (after.getOrDefault(node, 0L) - before.getOrDefault(node, 0L))));
        result.firstErrors().forEach(e -> ctx.log().accept("  error: " + e));
        // Replication orders changes per origin only: an update that overtakes its row's insert is
        // skipped by PostgreSQL. Anti-entropy sets those rows right; the count is reported.
        ClusterRepair.Result repair = new ClusterRepair(ctx).run(DRAIN_TIMEOUT);
        ctx.log().accept("[test conflicts] repair applied " + repair.rowsRepaired() + " row versions for "
                + repair.rowsExamined() + " differing rows");
        ClusterCheck.Result check = repair.after();
        check.tables().forEach(t -> out.println(CheckCommand.render(t)));
        out.flush();
        if (!check.identical()) {
            return ExitCodes.DIVERGENCE;
        }
        return result.errors() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Map<String, Long> conflicts() {
        Map<String, Long> counts = new TreeMap<>();
        for (NodeReport r : new ClusterStatus(ctx).collect()) {
            if (r.status() != null) {
                counts.put(r.container().node(), r.status().conflictCount());
            }
        }
        return counts;
    }
}
