package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code stop}, {@code stop-node} and {@code start} on fake nodes. */
class ClusterStopStartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path home;

    @Test
    void stopStopsEveryNodeKeepingContainersAndStartBringsThemBackOnTheSamePorts() {
        FakeCluster c = new FakeCluster(home);
        List<NodeContainer> up = new ClusterUp(c.ctx(), () -> "image").run(3);

        assertThat(new ClusterStop(c.ctx()).stopAll(TIMEOUT)).containsExactly("node0", "node1", "node2");
        assertThat(c.runtime.snapshot().nodes()).containsExactly("node0 (exited)", "node1 (exited)", "node2 (exited)");
        assertThat(new ClusterStop(c.ctx()).stopAll(TIMEOUT)).as("stopping again is harmless").isEmpty();

        assertThat(new NodeRestart(c.ctx()).startAll(TIMEOUT)).containsExactly("node0", "node1", "node2");
        assertThat(c.runtime.list(FakeCluster.NAME)).allMatch(NodeContainer::running)
                .extracting(NodeContainer::pgPort).isEqualTo(up.stream().map(NodeContainer::pgPort).toList());
        assertThat(new NodeRestart(c.ctx()).startAll(TIMEOUT)).as("starting again is harmless").isEmpty();
    }

    @Test
    void stopNodeStopsOneAndRefusesAnUnknownNode() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);

        new ClusterStop(c.ctx()).stopNode("node1", TIMEOUT);
        assertThat(c.runtime.snapshot().nodes()).containsExactly("node0", "node1 (exited)", "node2");
        new ClusterStop(c.ctx()).stopNode("node1", TIMEOUT);
        assertThat(c.log).contains("[node1] already stopped (exited)");
        assertThatThrownBy(() -> new ClusterStop(c.ctx()).stopNode("node7", TIMEOUT))
                .isInstanceOf(UsageException.class).hasMessageContaining("has no node 'node7' (nodes: node0, node1, node2)");
    }

    @Test
    void startWithoutContainersButWithKeptDataPointsToUp() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(2);
        new ClusterDown(c.ctx()).run(ClusterDown.Data.KEEP);

        assertThatThrownBy(() -> new NodeRestart(c.ctx()).startAll(TIMEOUT))
                .hasMessageContaining("has no nodes but kept data: 'pgmesh up' brings the nodes back on it");
    }
}
