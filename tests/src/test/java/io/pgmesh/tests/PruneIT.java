package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.conflict.ClusterPrune;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.RpcErrorCode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code pgmesh conflicts prune} on a 2-node mesh: history from before the cutoff (tombstones,
 * shadow versions, the conflict log) goes on every node, history after it stays, a transaction
 * open since before the cutoff holds the prune back, the nodes stay identical, and a key whose
 * tombstone went can be inserted again everywhere. A node that is down stops the prune before
 * anything changes.
 */
class PruneIT {

    private static final long DELETED_1 = 2_147_200_001L;
    private static final long DELETED_2 = 2_147_200_002L;
    private static final long KEPT = 2_147_200_003L;
    private static final long CONFLICTED = 2_147_200_004L;
    private static final long DELETED_LATER = 2_147_200_005L;
    /** Rows deleted in bulk before the cutoff: more than two of the daemon's prune batches (10,000). */
    private static final int BULK = 25_000;
    private static final long OLD_TOMBSTONES = 2 + BULK;

    @Test
    void prunesOnlyWhatNoChangeInFlightCanNeed() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-itpr", 90, 2)) {
            List<NodeContainer> nodes = cluster.nodes;
            SubscriptionHolds holds = new SubscriptionHolds(nodes, cluster.config.database(), "table1");

            // history from before the cutoff: two deletes, and one insert-insert conflict (a shadow on each node)
            for (long id : new long[]{DELETED_1, DELETED_2, KEPT}) {
                sql(cluster, 0, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'old')");
            }
            awaitRowsEverywhere(cluster, 3);
            sql(cluster, 1, "DELETE FROM table1 WHERE id IN (" + DELETED_1 + ", " + DELETED_2 + ")");
            // and enough deletes that the prune needs more than one batch
            sql(cluster, 0, "INSERT INTO table1 (col2) SELECT 'bulk' FROM generate_series(1, " + BULK + ")");
            sql(cluster, 0, "DELETE FROM table1 WHERE col2 = 'bulk'");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(cluster, 1, "pgmesh_tombstones_table1") == OLD_TOMBSTONES);
            holds.hold("node0", "node1");
            holds.hold("node1", "node0");
            sql(cluster, 0, "INSERT INTO table1 (id, col2) VALUES (" + CONFLICTED + ", 'from node0')");
            sql(cluster, 1, "INSERT INTO table1 (id, col2) VALUES (" + CONFLICTED + ", 'from node1')");
            holds.releaseAll();
            assertIdentical(cluster);
            for (int n = 0; n < 2; n++) {
                assertThat(count(cluster, n, "pgmesh_tombstones_table1")).as("tombstones on node" + n)
                        .isEqualTo(OLD_TOMBSTONES);
                assertThat(count(cluster, n, "pgmesh_shadows_table1")).as("shadows on node" + n).isEqualTo(1);
                assertThat(count(cluster, n, "pgmesh_conflicts")).as("conflict log on node" + n).isPositive();
            }

            try (Connection open = TestClusters.connectAsWriter(cluster.ctx, nodes.get(1));
                 Statement st = open.createStatement()) {
                // a writer's transaction open since before the cutoff holds the prune back (an update: it
                // takes no key lock that a replicated change of another key could have to wait for)
                open.setAutoCommit(false);
                st.executeUpdate("UPDATE table1 SET col2 = 'slow' WHERE id = " + KEPT);
                Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS);

                // history from after the cutoff: a delete
                sql(cluster, 0, "INSERT INTO table1 (id, col2) VALUES (" + DELETED_LATER + ", 'new')");
                awaitRowsEverywhere(cluster, 3);
                sql(cluster, 0, "DELETE FROM table1 WHERE id = " + DELETED_LATER);
                await().atMost(Duration.ofSeconds(30)).until(() -> count(cluster, 1, "pgmesh_tombstones_table1")
                        == OLD_TOMBSTONES + 1);

                assertThatThrownBy(() -> new ClusterPrune(cluster.ctx).pruneBefore(cutoff, Duration.ofSeconds(2)))
                        .isInstanceOfSatisfying(NodeRpcException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(RpcErrorCode.BUSY);
                            assertThat(e.node()).isEqualTo("node1");
                            assertThat(e.getMessage()).contains("still open").contains("testwriter")
                                    .contains("idle in transaction");
                        });
                for (int n = 0; n < 2; n++) {
                    assertThat(count(cluster, n, "pgmesh_tombstones_table1")).as("nothing pruned on node" + n)
                            .isEqualTo(OLD_TOMBSTONES + 1);
                }
                open.commit();

                ClusterPrune.Result result = new ClusterPrune(cluster.ctx).pruneBefore(cutoff, Duration.ofSeconds(60));
                assertThat(result.nodesChanged()).isEqualTo(2);
                assertThat(result.actions().get("node0"))
                        .anyMatch(a -> a.startsWith("pruned " + OLD_TOMBSTONES + " tombstones of table1"))
                        .anyMatch(a -> a.startsWith("pruned 1 shadow version of table1"))
                        .anyMatch(a -> a.startsWith("pruned 1 conflict-log entry"));
            }
            for (int n = 0; n < 2; n++) {
                assertThat(sql(cluster, n, "SELECT string_agg(id::text, ',') FROM pgmesh_tombstones_table1"))
                        .as("the tombstone from after the cutoff stays on node" + n).isEqualTo(String.valueOf(DELETED_LATER));
                assertThat(count(cluster, n, "pgmesh_shadows_table1")).isZero();
                assertThat(count(cluster, n, "pgmesh_conflicts")).isZero();
            }
            assertThat(new ClusterStatus(cluster.ctx).collect()).allSatisfy(r ->
                    assertThat(r.status().conflicts().getOrDefault("table1", 0L)).as(r.container().node()).isZero());
            assertIdentical(cluster);

            // once its tombstone went, a deleted key can be inserted again, and it reaches every node
            sql(cluster, 1, "INSERT INTO table1 (id, col2) VALUES (" + DELETED_1 + ", 'inserted again')");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                    "inserted again".equals(sql(cluster, 0, "SELECT col2 FROM table1 WHERE id = " + DELETED_1)));
            assertIdentical(cluster);

            // from the shell: everything up to now; a second run finds nothing
            CliRun all = cluster.pgmesh("conflicts", "prune", "--older-than", "0s");
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).contains("pruned history older than").contains("on 2 of 2 nodes");
            assertThat(count(cluster, 0, "pgmesh_tombstones_table1")).isZero();
            CliRun again = cluster.pgmesh("conflicts", "prune", "--older-than", "0s");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("nothing older than");
            assertIdentical(cluster);

            // a node that is down: refused before anything changes
            sql(cluster, 0, "DELETE FROM table1 WHERE id = " + KEPT);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(cluster, 1, "pgmesh_tombstones_table1") == 1);
            TestClusters.docker().stopContainerCmd(nodes.get(1).containerId()).withTimeout(20).exec();
            CliRun refused = cluster.pgmesh("conflicts", "prune", "--older-than", "0s");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("prune needs every node healthy").contains("node1 down")
                    .contains("nothing was pruned");
            assertThat(count(cluster, 0, "pgmesh_tombstones_table1")).isEqualTo(1);
        }
    }

    private static String sql(TestCluster cluster, int node, String statement) {
        return TestClusters.psqlAsPostgres(cluster.nodes.get(node), cluster.config.database(), statement);
    }

    private static long count(TestCluster cluster, int node, String table) {
        return Long.parseLong(sql(cluster, node, "SELECT count(*) FROM " + table));
    }

    private static void awaitRowsEverywhere(TestCluster cluster, long rows) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (int n = 0; n < cluster.nodes.size(); n++) {
                assertThat(count(cluster, n, "table1")).as("rows on node" + n).isEqualTo(rows);
            }
        });
    }

    private static void assertIdentical(TestCluster cluster) {
        ClusterCheck.Result check = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60));
        assertThat(check.identical()).as(TestClusters.evidence(cluster.ctx, check)).isTrue();
    }
}
