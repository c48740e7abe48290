package io.pgmesh.tests;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterStop;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.NodeRestart;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data outlives its containers: a node stopped beside a writer at full speed gets every row written meanwhile
 * when it starts again; the whole cluster stopped and started keeps every row; {@code down} keeps each node's
 * volume and {@code up} brings every node back on it, with the same host ports, no row lost and no key reused.
 */
class LifecycleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /** Key range length per node: node i's keys start at i * RANGE + 1. */
    private static final long RANGE = 2_147_483_647L;

    @Test
    void dataOutlivesStopStartAndDownUpWithTheSamePortsAndNoKeyReused() throws Exception {
        try (TestCluster cluster = TestCluster.start("pgmesh-itlc", 85, 3)) {
            ClusterContext ctx = cluster.ctx;
            Map<String, Integer> ports = pgPorts(ctx);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            for (NodeContainer n : cluster.nodes) {
                acknowledged.add(TestClusters.insertAsWriter(ctx, n, "before anything on " + n.node()));
            }

            // stop-node beside a writer at full speed on node0: node2 gets what was written while it was down
            try (InsertWriter writer = new InsertWriter(ctx, cluster.nodes.get(0), acknowledged)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.count() > 100);
                new ClusterStop(ctx).stopNode("node2", Duration.ofSeconds(60));
                assertThat(node(ctx, "node2").running()).isFalse();
                int atStop = writer.count();
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.count() > atStop + 300);
                NodeContainer node2 = new NodeRestart(ctx).startNode("node2", TIMEOUT);
                assertThat(node2.pgPort()).as("node2's host port after start-node").isEqualTo(ports.get("node2"));
                writer.stop();
                assertThat(writer.error()).as("writer error").isNull();
            }
            new ReplicationDrain(ctx).await(TIMEOUT);
            assertEveryRowOnEveryNode(ctx, acknowledged);

            // the whole cluster stopped and started again
            assertThat(new ClusterStop(ctx).stopAll(Duration.ofSeconds(60))).containsExactly("node0", "node1", "node2");
            assertThat(ctx.runtime().list(ctx.cluster())).noneMatch(NodeContainer::running);
            new NodeRestart(ctx).startAll(TIMEOUT);
            assertThat(pgPorts(ctx)).as("host ports after stop and start").isEqualTo(ports);
            assertEveryRowOnEveryNode(ctx, acknowledged);

            // down keeps the data; up brings every node back on it
            Map<String, Long> highestOwnKey = new LinkedHashMap<>();
            for (NodeContainer n : ctx.runtime().list(ctx.cluster())) {
                highestOwnKey.put(n.node(), TestClusters.highestKeyInRange(ctx, n, n.index()));
            }
            ClusterDown.Result down = new ClusterDown(ctx).run(ClusterDown.Data.KEEP);
            assertThat(down.volumesKept()).containsExactly("pgmesh-itlc-node0-data", "pgmesh-itlc-node1-data",
                    "pgmesh-itlc-node2-data");
            assertThat(ctx.runtime().list(ctx.cluster())).isEmpty();
            assertThat(TestClusters.docker().listVolumesCmd().withFilter("label", Labels.clusterFilter(ctx.cluster()))
                    .exec().getVolumes()).hasSize(3);
            assertThat(ClusterUp.keptNodes(ctx)).isEqualTo(3);

            new ClusterUp(ctx, TestClusters::ensureImage).run(3);
            assertThat(new io.pgmesh.orchestrator.cluster.ClusterStatus(ctx).collect())
                    .as("right after up on kept data: every subscription streams again")
                    .allSatisfy(r -> assertThat(r.health()).as(r.container().node() + ": " + r.detail())
                            .isEqualTo(io.pgmesh.orchestrator.cluster.NodeReport.HEALTHY));
            assertThat(pgPorts(ctx)).as("host ports after down and up").isEqualTo(ports);
            assertEveryRowOnEveryNode(ctx, acknowledged);
            List<NodeContainer> back = ctx.runtime().list(ctx.cluster());
            for (NodeContainer n : back) {
                long fresh = TestClusters.insertAsWriter(ctx, n, "after up on " + n.node());
                assertThat(fresh).as("a new key on " + n.node() + " continues its range, never reuses one")
                        .isGreaterThan(highestOwnKey.get(n.node())).isLessThanOrEqualTo((n.index() + 1) * RANGE);
                TestClusters.awaitRowOn(ctx, back, fresh, "after up on " + n.node(), Duration.ofSeconds(60));
            }
            ClusterCheck.Result check = new ClusterCheck(ctx).run(Duration.ofSeconds(60));
            assertThat(check.identical()).as("check after up" + TestClusters.evidence(ctx, check)).isTrue();
        }
        assertThat(TestClusters.docker().listVolumesCmd().withFilter("label", Labels.clusterFilter("pgmesh-itlc"))
                .exec().getVolumes()).as("the test deletes its data").isEmpty();
    }

    private static NodeContainer node(ClusterContext ctx, String node) {
        return ctx.runtime().list(ctx.cluster()).stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow();
    }

    private static Map<String, Integer> pgPorts(ClusterContext ctx) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ctx.runtime().list(ctx.cluster()).forEach(n -> ports.put(n.node(), n.pgPort()));
        return ports;
    }

    private static void assertEveryRowOnEveryNode(ClusterContext ctx, Set<Long> ids) throws SQLException {
        for (NodeContainer n : ctx.runtime().list(ctx.cluster())) {
            assertThat(TestClusters.missingOn(ctx, n, new HashSet<>(ids))).as("acknowledged rows missing on " + n.node())
                    .isEmpty();
        }
    }
}
