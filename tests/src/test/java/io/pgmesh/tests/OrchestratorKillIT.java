package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, node faults: the orchestrator is killed (SIGKILL) in the middle of {@code up}, while node1
 * joins the mesh. Running {@code up} again completes the cluster: 3 nodes, {@code check} passes, and a
 * row written on the last node reaches the others.
 *
 * <p>The interrupted {@code up} runs the real CLI in a separate JVM, so that it can be killed like a
 * user's Ctrl-\ or an OOM kill would: no shutdown hook, no finally block of the orchestrator runs.
 */
class OrchestratorKillIT {

    private static final String CLUSTER = "pgmesh-itok";

    /**
     * The child is killed at {@code killAt}: either a named step of node1's join ({@code after:node1:STEP},
     * halted through the orchestrator's step hook right after the step), or a step line of node1's join,
     * which it prints when the step's RPC returned, right before it sends the next one; when
     * {@code inFlight} is given, only once node1's daemon has also logged that line (the next step has
     * begun there):
     * <ul>
     * <li>{@code after:node1:init-database}: node1 has its database; createReplicaTable on node1 (its
     * table and publication) is not sent yet;</li>
     * <li>{@code [node1] initDatabase}, then the daemon's {@code creating table table1}:
     * createReplicaTable on node1 is in flight, and the daemon finishes it after its caller died (the
     * rerun then finds it in place);</li>
     * <li>{@code after:node1:create-tables}: node1 has its table and publication (step create-tables of
     * {@code NodeJoin.NEW_CLUSTER}); it does not subscribe to node0 yet, nor node0 to it.</li>
     * </ul>
     * Whatever state the kill leaves, the rerun must complete the cluster.
     */
    @ParameterizedTest(name = "killed after ''{0}'' {1}")
    @CsvSource({"'after:node1:init-database', ''", "'[node1] initDatabase', '[node1] creating table table1'",
            "'after:node1:create-tables', ''"})
    void upKilledWhileNode1JoinsIsCompletedByTheNextUp(String killAt, String inFlight) throws Exception {
        try (TestCluster cluster = TestCluster.start(CLUSTER, 98, 0)) {
            TestClusters.ensureImage(); // built here, so the child's deadline covers the cluster only

            java.util.function.BooleanSupplier ready = inFlight == null || inFlight.isEmpty() ? () -> true
                    : () -> node1Logged(cluster, inFlight);
            // a named step of node1's join (before|after:NODE:STEP) halts the child through the step hook; a point
            // inside a step (an RPC in flight) is picked by the child's output line and the daemon's log
            KilledCli.Result child = killAt.startsWith("after:") || killAt.startsWith("before:")
                    ? KilledCli.haltAt(CLUSTER, cluster.configFile, killAt, "up", "--nodes", "3")
                    : KilledCli.killAt(CLUSTER, cluster.configFile, killAt, ready, "up", "--nodes", "3");
            System.out.printf("[OrchestratorKillIT] child 'up' killed after '%s'%s, %.1f s after its start%n", killAt,
                    inFlight == null || inFlight.isEmpty() ? "" : " and '" + inFlight + "'", child.seconds());
            assertThat(child.printed("[up] cluster")).as("the child did not finish 'up'").isFalse();
            assertThat(cluster.ctx.runtime().list(CLUSTER)).as("node2 was never started")
                    .extracting(NodeContainer::node).containsExactly("node0", "node1");

            long rerunStarted = System.nanoTime();
            CliRun rerun = cluster.pgmesh("up", "--nodes", "3");
            System.out.printf("[OrchestratorKillIT] rerun of 'up' took %.1f s%n", (System.nanoTime() - rerunStarted) / 1e9);
            assertThat(rerun.exitCode()).as("rerun of up: " + rerun.err()).isZero();

            List<NodeContainer> nodes = cluster.ctx.runtime().list(CLUSTER);
            assertThat(nodes).extracting(NodeContainer::node).containsExactly("node0", "node1", "node2");
            assertThat(nodes).allMatch(NodeContainer::running);
            await("every node healthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(new ClusterStatus(cluster.ctx).collect())
                            .hasSize(3)
                            .allSatisfy(r -> assertThat(r.health()).as(r.container().node() + " " + r.detail())
                                    .isEqualTo(NodeReport.HEALTHY)));

            CliRun check = cluster.pgmesh("check");
            assertThat(check.exitCode()).as("check: " + check.out() + check.err()).isZero();

            long id = TestClusters.insertAsWriter(cluster.ctx, nodes.get(2), "written on node2 after the rerun");
            TestClusters.awaitRowOn(cluster.ctx, nodes.subList(0, 2), id, "written on node2 after the rerun",
                    Duration.ofSeconds(60));
        }
    }

    /** Whether node1's daemon has logged {@code line} (its container log). */
    private static boolean node1Logged(TestCluster cluster, String line) {
        return cluster.ctx.runtime().list(CLUSTER).stream().filter(n -> n.node().equals("node1")).findFirst()
                .map(n -> cluster.ctx.runtime().lastLogLines(n.containerId(), 200).stream()
                        .anyMatch(l -> l.contains(line)))
                .orElse(false);
    }
}
