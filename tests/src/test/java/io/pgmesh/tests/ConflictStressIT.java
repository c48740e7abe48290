package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.conflict.ConflictStress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conflict stress on 3 nodes: threads pinned to different nodes update, delete and re-insert
 * the same few rows as fast as they can; afterwards, after an anti-entropy repair (for updates that
 * overtook their row's insert across origins), every node must hold identical data, run after run. The default build runs {@value #DEFAULT_RUNS} runs; {@code -Pstress} runs 10 longer ones
 * (system properties pgmesh.stress.runs and pgmesh.stress.seconds).
 */
class ConflictStressIT {

    static final int DEFAULT_RUNS = 2;
    private static TestCluster cluster;
    private static ClusterContext ctx;

    @BeforeAll
    static void bringUp() {
        cluster = TestCluster.start("pgmesh-itcs", 95, 3);
        ctx = cluster.ctx;
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRunConvergesToIdenticalNodes() {
        int runs = Integer.getInteger("pgmesh.stress.runs", DEFAULT_RUNS);
        int seconds = Integer.getInteger("pgmesh.stress.seconds", 6);
        long totalOps = 0;
        long repaired = 0;
        for (int run = 1; run <= runs; run++) {
            ConflictStress.Result result = new ConflictStress(ctx).run(
                    new ConflictStress.Options(3, Duration.ofSeconds(seconds), 3, 200_000, 1000L * run));
            assertThat(result.errors()).as("run " + run + ": " + result.firstErrors()).isZero();
            assertThat(result.operations()).as("run " + run + ": every node wrote").hasSize(3);
            totalOps += result.total();
            ClusterRepair.Result repair = new ClusterRepair(ctx).run(Duration.ofSeconds(120));
            repaired += repair.rowsRepaired();
            ClusterCheck.Result check = repair.after();
            assertThat(check.identical()).as("run " + run + " of " + runs + ": nodes identical; "
                    + TestClusters.evidence(ctx, check)).isTrue();
            System.out.println("[stress] run " + run + "/" + runs + ": " + result.total() + " operations "
                    + result.operations() + ", " + result.retries() + " retried (deadlock), " + repair.rowsRepaired()
                    + " rows repaired, converged");
        }
        long conflicts = new ClusterStatus(ctx).collect().stream().mapToLong(r -> r.status().conflictCount()).sum();
        System.out.println("[stress] " + runs + " runs, " + totalOps + " operations, " + conflicts
                + " conflicts resolved, " + repaired + " rows repaired by anti-entropy");
        assertThat(conflicts).as("the stress made the nodes resolve conflicts").isPositive();
    }

    @Test
    void theCliRunReportsConflictsAndAnIdenticalCheck() {
        CliRun run = cluster.pgmesh("test", "conflicts", "--seconds", "3", "--rows", "2");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("[test conflicts] 3 threads pinned to 3 nodes fight over 2 rows for 3 s")
                .contains("conflicts resolved").contains("table1: identical on 3 nodes");
        CliRun status = cluster.pgmesh("status");
        assertThat(status.out()).contains("CONFLICTS");
    }
}
