package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.conflict.RowExplainer;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.ConflictKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each conflict rule, made deterministic on real PostgreSQL: the competing changes are made while
 * the subscriptions between the nodes are disabled, then released. Every node must end with the
 * version the rule picks, nothing may stick in an apply error loop, and the resolving nodes must
 * record the conflict.
 */
class ConflictRulesIT {

    private static TestCluster cluster;
    private static SysConfig config;
    private static ClusterContext ctx;
    private static List<NodeContainer> nodes;
    private static SubscriptionHolds holds;

    @BeforeAll
    static void bringUp() {
        cluster = TestCluster.start("pgmesh-itcr", 94, 3);
        config = cluster.config;
        ctx = cluster.ctx;
        nodes = cluster.nodes;
        holds = new SubscriptionHolds(nodes, config.database(), "table1");
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void releaseEverything() {
        holds.releaseAll();
        assertConverged();
    }

    @Test
    void insertInsertOfTheSameKeyConvergesOnTheNewerVersionWithoutAnApplyLoop() {
        long id = 2_147_100_001L;
        hold("node0", "node1");
        hold("node1", "node0");
        hold("node2", "node0");
        hold("node2", "node1");
        sql(0, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'from node0')");
        sql(1, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'from node1')");
        releaseAll();
        awaitEverywhere(id, "from node1|1");
        RowExplainer.Explanation e = new RowExplainer(ctx).explain("table1", id);
        assertThat(e.converged()).isTrue();
        assertThat(e.outcome().decidedBy()).contains(ConflictKind.INSERT_INSERT);
        assertThat(conflictKinds(0)).contains("insert_insert remote");
        assertThat(conflictKinds(1)).contains("insert_insert local");
    }

    @Test
    void updateUpdateTheLaterWriteWinsInEitherArrivalOrder() {
        long id = 2_147_100_002L;
        sql(0, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'v0')");
        awaitEverywhere(id, "v0|0");
        hold("node0", "node2");
        hold("node2", "node0");
        sql(2, "UPDATE table1 SET col2 = 'first, by node2' WHERE id = " + id);
        sql(0, "UPDATE table1 SET col2 = 'second, by node0' WHERE id = " + id);
        releaseAll();
        awaitEverywhere(id, "second, by node0|0");
        assertThat(conflictKinds(0)).contains("update_update local");
        assertThat(conflictKinds(2)).contains("update_update remote");
        String explained = RowExplainer.render(new RowExplainer(ctx).explain("table1", id));
        assertThat(explained).contains("winner: version").contains("by node0")
                .contains("update_update: " + ConflictKind.UPDATE_UPDATE.rule());
    }

    @Test
    void deleteWinsOverAConcurrentUpdate() {
        long id = 2_147_100_003L;
        sql(1, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'doomed')");
        awaitEverywhere(id, "doomed|1");
        hold("node0", "node1");
        hold("node1", "node0");
        hold("node2", "node0");
        hold("node2", "node1");
        sql(0, "DELETE FROM table1 WHERE id = " + id);
        sql(1, "UPDATE table1 SET col2 = 'updated after the delete' WHERE id = " + id);
        releaseAll();
        awaitEverywhere(id, null);
        RowExplainer.Explanation e = new RowExplainer(ctx).explain("table1", id);
        assertThat(e.outcome().deleted()).isTrue();
        assertThat(e.outcome().decidedBy()).contains(ConflictKind.DELETE_UPDATE);
        assertThat(conflictKinds(1)).contains("delete_update remote");
    }

    @Test
    void aReinsertAfterADeleteSurvivesWhicheverArrivesFirst() {
        long id = 2_147_100_004L;
        sql(2, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'original')");
        awaitEverywhere(id, "original|2");
        hold("node2", "node0");
        sql(0, "DELETE FROM table1 WHERE id = " + id);
        await().atMost(Duration.ofSeconds(30)).until(() -> value(1, id) == null);
        sql(1, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'reinserted by node1')");
        await().atMost(Duration.ofSeconds(30)).until(() -> "reinserted by node1|1".equals(value(2, id)));
        releaseAll();
        awaitEverywhere(id, "reinserted by node1|1");
        assertThat(conflictKinds(2)).contains("insert_insert remote", "delete_reinsert local");
    }

    /**
     * node2 receives node1's update of a row before node0's insert of it (cross-origin
     * reordering): PostgreSQL skips such an update as "row missing"; the update note makes it the
     * row on node2 at once, and node0's late insert then loses to it. No repair involved.
     */
    @Test
    void anUpdateThatOvertakesTheInsertItFollowsIsNotLost() {
        long id = 2_147_100_006L;
        hold("node2", "node0");
        sql(0, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'inserted by node0')");
        await().atMost(Duration.ofSeconds(30)).until(() -> "inserted by node0|0".equals(value(1, id)));
        sql(1, "UPDATE table1 SET col2 = 'updated by node1' WHERE id = " + id);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "updated by node1|1".equals(value(2, id)));
        releaseAll();
        awaitEverywhere(id, "updated by node1|1");
        assertThat(sql(2, "SELECT count(*) FROM pgmesh_updates_table1")).as("notes are not kept").isEqualTo("0");
        assertThat(sql(1, "SELECT count(*) FROM pgmesh_updates_table1")).isEqualTo("0");
    }

    @Test
    void statusCountsTheConflictsEachNodeResolved() {
        long id = 2_147_100_005L;
        hold("node0", "node1");
        hold("node1", "node0");
        sql(0, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'a')");
        sql(1, "INSERT INTO table1 (id, col2) VALUES (" + id + ", 'b')");
        releaseAll();
        awaitEverywhere(id, "b|1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(new ClusterStatus(ctx).collect()).allSatisfy(r ->
                        assertThat(r.status().conflicts().getOrDefault("table1", 0L)).as(r.container().node())
                                .isPositive()));
    }

    // ---- helpers ----

    private static void hold(String subscriber, String publisher) {
        holds.hold(subscriber, publisher);
    }

    private static void releaseAll() {
        holds.releaseAll();
    }

    private static String sql(int node, String statement) {
        return TestClusters.psqlAsPostgres(nodes.get(node), config.database(), statement);
    }

    /** col2|modified_by of the row on a node, or null when absent. */
    private static String value(int node, long id) {
        String v = sql(node, "SELECT col2 || '|' || modified_by FROM table1 WHERE id = " + id);
        return v.isEmpty() ? null : v;
    }

    private static void awaitEverywhere(long id, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (int n = 0; n < nodes.size(); n++) {
                assertThat(value(n, id)).as("row " + id + " on node" + n).isEqualTo(expected);
            }
        });
    }

    private static List<String> conflictKinds(int node) {
        String rows = sql(node, "SELECT string_agg(kind || ' ' || winner, E'\\n' ORDER BY seq) FROM pgmesh_conflicts");
        return rows.isEmpty() ? List.of() : rows.lines().toList();
    }

    private static void assertConverged() {
        ClusterCheck.Result check = new ClusterCheck(ctx).run(Duration.ofSeconds(60));
        assertThat(check.identical()).as("nodes identical after the scenario").isTrue();
    }
}
