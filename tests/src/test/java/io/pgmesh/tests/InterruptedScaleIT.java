package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, interrupted operations: the orchestrator running {@code add-node} or {@code remove-node}
 * is killed (SIGKILL, in its own JVM, or halted as by SIGKILL at a named step of NodeJoin's or
 * NodeLeave's table) between two steps or inside one. {@code status} shows the node as joining
 * or leaving, and running the same command again finishes it: every node healthy and identical,
 * the rows written before on the new node, and no subscription or slot left that refers to a
 * removed node.
 */
class InterruptedScaleIT {

    private static final String CLUSTER = "pgmesh-itis";
    private static final int SEED_ROWS = 500;

    @Test
    void anInterruptedJoinOrRemovalIsFinishedByRunningTheCommandAgain() throws Exception {
        try (TestCluster cluster = TestCluster.start(CLUSTER, 88, 3)) {
            sql(cluster, cluster.nodes.get(0), "INSERT INTO table1 (col2) SELECT 'seed ' || g FROM generate_series(1, "
                    + SEED_ROWS + ") g");
            assertIdentical(cluster);

            // add-node killed once node3 has its table, before any subscription from or to it
            halted(cluster, "after:node3:create-tables", "add-node");
            assertHealth(cluster, "node3", NodeReport.JOINING, "join unfinished: 0 of 3 own subscriptions");
            CliRun join = cluster.pgmesh("add-node");
            assertThat(join.exitCode()).as(join.err()).isZero();
            assertThat(join.out()).contains("[node3] finishing an interrupted join").contains("[add-node] node3 joined");
            assertComplete(cluster, "node0", "node1", "node2", "node3");

            // remove-node killed inside a step (drop-peer-subscriptions): after node0 dropped its subscription to
            // node3, before node1 and node2 dropped theirs; a point inside a step is picked by its log line
            killed(cluster, "[node0] dropping subscriptions to node3", "remove-node", "node3");
            assertHealth(cluster, "node3", NodeReport.LEAVING, "'pgmesh remove-node node3' finishes it");
            CliRun remove = cluster.pgmesh("remove-node", "node3");
            assertThat(remove.exitCode()).as(remove.err()).isZero();
            assertThat(remove.out()).contains("[node0] no longer subscribes to node3").contains("[remove-node] node3 removed");
            assertComplete(cluster, "node0", "node1", "node2");
            assertNothingRefersTo(cluster, "node3");

            // add-node killed right after node4's subscription to its copy source, while the copy may still run
            halted(cluster, "after:node4:copy-from-source", "add-node");
            assertHealth(cluster, "node4", NodeReport.JOINING, "");
            CliRun join4 = cluster.pgmesh("add-node");
            assertThat(join4.exitCode()).as(join4.err()).isZero();
            assertThat(join4.out()).contains("[node4] finishing an interrupted join");
            assertComplete(cluster, "node0", "node1", "node2", "node4");

            // remove-node killed inside a step: while node4 drops its own subscriptions (drop-own-subscriptions)
            killed(cluster, "[node4] dropping subscriptions to node0", "remove-node", "node4");
            assertHealth(cluster, "node4", NodeReport.LEAVING, "");
            CliRun remove4 = cluster.pgmesh("remove-node", "node4");
            assertThat(remove4.exitCode()).as(remove4.err()).isZero();
            assertComplete(cluster, "node0", "node1", "node2");
            assertNothingRefersTo(cluster, "node4");
        }
    }

    /** Kills the command at a named step ({@code before|after:NODE:STEP}) through the orchestrator's step hook. */
    private static void halted(TestCluster cluster, String point, String... args) throws Exception {
        KilledCli.Result child = KilledCli.haltAt(CLUSTER, cluster.configFile, point, args);
        System.out.printf("[InterruptedScaleIT] '%s' halted %s, %.1f s after its start%n",
                String.join(" ", args), point, child.seconds());
    }

    /** Kills the command when it prints {@code killAt}: a point inside a step. */
    private static void killed(TestCluster cluster, String killAt, String... args) throws Exception {
        KilledCli.Result child = KilledCli.killAt(CLUSTER, cluster.configFile, killAt, () -> true, args);
        System.out.printf("[InterruptedScaleIT] '%s' killed after '%s', %.1f s after its start%n",
                String.join(" ", args), killAt, child.seconds());
    }

    private static void assertHealth(TestCluster cluster, String node, String health, String detail) {
        CliRun status = cluster.pgmesh("status");
        assertThat(status.exitCode()).as("status exits 1 while a node is not healthy").isEqualTo(1);
        NodeReport report = new ClusterStatus(cluster.ctx).collect().stream()
                .filter(r -> r.container().node().equals(node)).findFirst().orElseThrow();
        assertThat(report.health()).as(node + ": " + report.detail()).isEqualTo(health);
        assertThat(report.detail()).contains(detail);
        assertThat(status.out()).contains(health);
    }

    /** Exactly these nodes, every one healthy, identical, each with the seeded rows. */
    private static void assertComplete(TestCluster cluster, String... nodes) {
        List<NodeContainer> containers = cluster.ctx.runtime().list(CLUSTER);
        assertThat(containers).extracting(NodeContainer::node).containsExactly(nodes);
        await("every node healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(new ClusterStatus(cluster.ctx).collect())
                        .allSatisfy(r -> assertThat(r.health()).as(r.container().node() + " " + r.detail())
                                .isEqualTo(NodeReport.HEALTHY)));
        assertIdentical(cluster);
        for (NodeContainer n : containers) {
            assertThat(sql(cluster, n, "SELECT count(*) FROM table1 WHERE col2 LIKE 'seed %'"))
                    .as("seeded rows on " + n.node()).isEqualTo(String.valueOf(SEED_ROWS));
        }
    }

    private static void assertNothingRefersTo(TestCluster cluster, String gone) {
        for (NodeContainer n : cluster.ctx.runtime().list(CLUSTER)) {
            String refs = sql(cluster, n, "SELECT string_agg(x, ',') FROM (SELECT slot_name::text AS x FROM"
                    + " pg_replication_slots UNION ALL SELECT subname::text FROM pg_subscription) s WHERE x LIKE '%"
                    + gone + "%'");
            assertThat(refs).as("slots or subscriptions referring to " + gone + " on " + n.node()).isEmpty();
        }
    }

    private static void assertIdentical(TestCluster cluster) {
        ClusterCheck.Result check = new ClusterCheck(cluster.ctx).run(Duration.ofSeconds(60));
        assertThat(check.identical()).as(TestClusters.evidence(cluster.ctx, check)).isTrue();
    }

    private static String sql(TestCluster cluster, NodeContainer node, String statement) {
        return TestClusters.psqlAsPostgres(node, cluster.config.database(), statement);
    }
}
