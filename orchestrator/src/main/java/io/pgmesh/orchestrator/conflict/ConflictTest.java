package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code pgmesh test conflicts}: threads pinned to different nodes fight over the same rows
 * ({@link ConflictStress}), each node's count of conflicts resolved is read before and after, then a
 * repair and its check say whether the nodes converged.
 */
public final class ConflictTest {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param stress   what the threads did
     * @param resolved per node, the conflicts it resolved during the stress
     * @param repair   the repair after it; {@code repair.after()} is the check that decides
     */
    public record Result(ConflictStress.Result stress, Map<String, Long> resolved, ClusterRepair.Result repair) {
    }

    private final ClusterContext ctx;

    public ConflictTest(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** @param threads threads to run, null for one per running node (at least 2) */
    public Result run(Integer threads, int seconds, int rows) {
        int running = (int) ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running).count();
        ConflictStress.Options options = new ConflictStress.Options(threads != null ? threads : Math.max(2, running),
                Duration.ofSeconds(seconds), rows, 1_000_000, System.nanoTime());
        Map<String, Long> before = conflicts();
        ctx.log().accept("[test conflicts] " + options.threads() + " threads pinned to " + running + " nodes fight over "
                + rows + " rows for " + seconds + " s");
        ConflictStress.Result result = new ConflictStress(ctx).run(options);
        Map<String, Long> after = conflicts();
        Map<String, Long> resolved = new TreeMap<>();
        after.forEach((node, count) -> resolved.put(node, count - before.getOrDefault(node, 0L)));
        ctx.log().accept(String.format("[test conflicts] %d operations in %.1f s: %d errors, %d retried after a"
                        + " deadlock or serialization failure", result.total(), result.elapsed().toMillis() / 1000.0,
                result.errors(), result.retries()));
        result.operations().forEach((node, ops) -> ctx.log().accept("  " + node + ": " + ops + ", conflicts resolved "
                + resolved.getOrDefault(node, 0L)));
        result.firstErrors().forEach(e -> ctx.log().accept("  error: " + e));
        // Replication orders changes per origin only: an update that overtakes its row's insert is
        // skipped by PostgreSQL. Anti-entropy sets those rows right; the count is reported.
        ClusterRepair.Result repair = new ClusterRepair(ctx).run(DRAIN_TIMEOUT);
        ctx.log().accept("[test conflicts] repair applied " + repair.rowsRepaired() + " row versions for "
                + repair.rowsExamined() + " differing rows");
        return new Result(result, resolved, repair);
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
