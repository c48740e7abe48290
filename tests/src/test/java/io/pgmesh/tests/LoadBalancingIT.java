package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.InsertSuite;
import io.pgmesh.orchestrator.suite.OperationStats;
import io.pgmesh.orchestrator.suite.SelectSuite;
import io.pgmesh.orchestrator.suite.SuiteOptions;
import io.pgmesh.orchestrator.suite.SuiteRunner;
import io.pgmesh.orchestrator.suite.UpdateSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load-balancing suites on a 3-node mesh: insert, update (concurrent updates of one row through
 * different nodes), select, then check. Every group's operations are spread over every node, the
 * nodes converge to identical data, a second run works on the same cluster, and check catches and
 * locates a divergence injected on one node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancingIT {

    private static final int NODES = 3;
    private static TestCluster cluster;
    private static ClusterContext ctx;
    private static List<NodeContainer> nodes;

    @BeforeAll
    static void bringUp() {
        cluster = TestCluster.start("pgmesh-itlb", 93, NODES);
        ctx = cluster.ctx;
        nodes = cluster.nodes;
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void suitesSpreadEveryGroupOverEveryNodeWithoutErrors() {
        List<SuiteRunner.SuiteResult> results = new SuiteRunner(ctx).run(
                List.of(new InsertSuite(), new UpdateSuite(), new SelectSuite()), new SuiteOptions(1, true));
        assertThat(results).extracting(SuiteRunner.SuiteResult::suite).containsExactly("insert", "update", "select");
        for (SuiteRunner.SuiteResult r : results) {
            OperationStats s = r.stats();
            assertThat(s.errors()).as(r.suite() + " errors: " + s.firstErrors()).isZero();
            s.servedPerNode().forEach((group, perNode) -> {
                long total = perNode.values().stream().mapToLong(Long::longValue).sum();
                for (NodeContainer node : nodes) {
                    assertThat(perNode.getOrDefault(node.node(), 0L))
                            .as(r.suite() + " " + group + " on " + node.node() + " of " + total)
                            .isGreaterThanOrEqualTo(total / (2L * NODES));
                }
            });
        }
        assertThat(results.get(0).stats().servedPerNode().keySet()).containsExactly("writer1", "writer2");
        assertThat(results.get(0).stats().succeeded()).isEqualTo(800);
        assertThat(results.get(1).stats().succeeded()).isEqualTo(4 + 20 + 40 + 15);
        assertThat(results.get(2).stats().succeeded()).isEqualTo(50 + 80 + 150);
    }

    @Test
    @Order(2)
    void checkFindsIdenticalNodesWithTheExpectedRows() throws Exception {
        CliRun check = cluster.pgmesh("check");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("replication drained").contains("table1: identical on 3 nodes (804 rows");
        for (NodeContainer node : nodes) {
            assertThat(count(node)).as(node.node()).isEqualTo(804);
        }
    }

    @Test
    @Order(3)
    void secondRunFromTheCliWorksWithoutTearingDown() {
        CliRun test = cluster.pgmesh("test", "all", "--no-sleep");
        assertThat(test.exitCode()).as(test.out() + test.err()).isZero();
        assertThat(test.out()).contains("[test insert] 800 operations").contains("[test update] 79 operations")
                .contains("[test select] 280 operations").contains("node0").contains("p99 ms");
        CliRun check = cluster.pgmesh("check");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("table1: identical on 3 nodes (1604 rows");
    }

    @Test
    @Order(4)
    void checkLocatesADivergenceOnOneNodeAndExitsWithItsCode() throws Exception {
        long missing;
        try (Connection c = TestClusters.connectAsReader(ctx, nodes.get(0));
             ResultSet rs = c.createStatement().executeQuery("SELECT min(id) FROM table1")) {
            rs.next();
            missing = rs.getLong(1);
        }
        // A change made under a replication origin of its own is not published to peers (origin = none).
        TestClusters.psqlAsPostgres(nodes.get(1), cluster.config.database(), "SELECT pg_replication_origin_create('it_divergence');"
                + " SELECT pg_replication_origin_session_setup('it_divergence');"
                + " DELETE FROM table1 WHERE id = " + missing + ";"
                + " UPDATE table1 SET col2 = 'diverged' WHERE id = " + UpdateSuite.TARGET_ID + ";");
        CliRun check = cluster.pgmesh("check");
        assertThat(check.exitCode()).isEqualTo(7);
        assertThat(check.out()).contains("table1: DIVERGED").contains("node0: 1604 rows")
                .contains("node1: 1603 rows; 2 ids differ: ")
                .contains(missing + " (missing)").contains(UpdateSuite.TARGET_ID + " (different)");
        assertThat(check.out().lines().filter(l -> l.startsWith("  node0") || l.startsWith("  node2")))
                .allSatisfy(l -> assertThat(l).doesNotContain("differ"));
    }

    private static long count(NodeContainer node) throws Exception {
        try (Connection c = TestClusters.connectAsReader(ctx, node);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM table1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
