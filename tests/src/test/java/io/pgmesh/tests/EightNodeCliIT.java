package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The foundation's "done when", through the CLI as a user runs it: {@code pgmesh up --nodes 8}
 * brings up 8 nodes, a row inserted on any node appears on all 8, {@code pgmesh status} reports
 * every node healthy, and {@code pgmesh down} leaves no container or network of the cluster.
 */
class EightNodeCliIT {

    private static final String CLUSTER = "pgmesh-it8";
    private static TestCluster cluster;

    @BeforeAll
    static void cleanSlate() {
        cluster = TestCluster.start(CLUSTER, 92, 0);
    }

    @AfterAll
    static void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eightNodesUpReplicateEverywhereAndGoDownWithoutTrace() throws Exception {
        CliRun up = pgmesh("up", "--nodes", "8");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("[node7] daemon ready", "[node0] subscribing to node7",
                "cluster " + CLUSTER + " is up: 8 nodes");

        ClusterContext ctx = cluster.ctx;
        List<NodeContainer> nodes = ctx.runtime().list(CLUSTER);
        assertThat(nodes).hasSize(8);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            CliRun status = pgmesh("status");
            assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
            assertThat(status.out().lines().filter(l -> l.contains(" healthy "))).hasSize(8);
        });

        long id = TestClusters.insertAsWriter(ctx, nodes.get(5), "from node5");
        TestClusters.awaitRowOn(ctx, nodes, id, "from node5", Duration.ofSeconds(30));

        CliRun down = pgmesh("down");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.out() + down.err()).contains("kept 8 data volume(s)").contains("--delete-data");
        assertThat(TestClusters.docker().listVolumesCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec()
                .getVolumes()).as("down keeps every node's data").hasSize(8);
        CliRun deleteData = pgmesh("down", "--delete-data");
        assertThat(deleteData.exitCode()).as(deleteData.err()).isZero();
        assertThat(TestClusters.docker().listVolumesCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec()
                .getVolumes()).as("down --delete-data deletes it").isEmpty();
        assertThat(TestClusters.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, CLUSTER)).exec()).isEmpty();
        assertThat(TestClusters.docker().listNetworksCmd().withFilter("label", Labels.clusterFilter(CLUSTER)).exec())
                .isEmpty();
        CliRun statusAfter = pgmesh("status");
        assertThat(statusAfter.exitCode()).isEqualTo(1);
        assertThat(statusAfter.out()).contains("has no nodes");
    }

    private static CliRun pgmesh(String... args) {
        return cluster.pgmesh(args);
    }
}
