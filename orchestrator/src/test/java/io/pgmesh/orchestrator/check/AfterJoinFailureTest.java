package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * add-node's repair failing after the join (e.g. replication that does not drain beside full-speed writers): the
 * error says the node has joined and that add-node must not be run again, since that would add another node.
 */
class AfterJoinFailureTest {

    @TempDir
    Path home;

    @Test
    void aFailedRepairAfterTheJoinSaysTheNodeIsAMemberAndNotToAddItAgain() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(2);
        NodeJoin.Joined joined = new NodeJoin(c.ctx()).addNode(() -> "image");
        c.runtime.node("node0").failOn("replicationProgress");

        assertThatThrownBy(() -> new ClusterRepair(c.ctx()).afterJoin(joined, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("[node2] has joined cluster fake and catches up by itself, but the repair of"
                        + " what changed during its join failed: ")
                .hasMessageEndingWith("do not add it again: run 'pgmesh repair' once the writers slow down");
        assertThat(c.runtime.list(FakeCluster.NAME)).extracting(NodeContainer::node)
                .containsExactly("node0", "node1", "node2");
    }
}
