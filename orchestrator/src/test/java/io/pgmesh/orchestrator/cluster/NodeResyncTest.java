package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.fake.FakeRuntime;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code resync} on fake nodes: the node comes back at its index, wired as after the first up, nothing retired. */
class NodeResyncTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path home;

    @Test
    void aStoppedNodeIsRebuiltAtItsIndexAndTheMeshIsAsBefore() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        FakeRuntime.Snapshot before = c.runtime.snapshot();
        c.runtime.kill("node2");

        NodeJoin.Joined joined = new NodeResync(c.ctx()).resync("node2", () -> "image", TIMEOUT);

        assertThat(joined.node().index()).isEqualTo(2);
        assertThat(c.runtime.list(FakeCluster.NAME)).allMatch(NodeContainer::running)
                .extracting(NodeContainer::node).containsExactly("node0", "node1", "node2");
        FakeRuntime.Snapshot after = c.runtime.snapshot();
        assertThat(after.retired()).as("its index is not retired").isEmpty();
        assertThat(after.catalogs()).as("every subscription and slot as after up").isEqualTo(before.catalogs());
        assertThat(c.log).anyMatch(l -> l.startsWith("[node2] resync: its data is replaced by a fresh copy from node0"))
                .anyMatch(l -> l.startsWith("[node2] continuing its key ranges after its own rows"));
    }

    @Test
    void refusedWhileAnotherNodeIsDownOrForAnUnknownNode() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        c.runtime.kill("node1");

        assertThatThrownBy(() -> new NodeResync(c.ctx()).resync("node2", () -> "image", TIMEOUT))
                .hasMessageContaining("cannot resync node2 while node1 is down");
        assertThatThrownBy(() -> new NodeResync(c.ctx()).resync("node7", () -> "image", TIMEOUT))
                .isInstanceOf(UsageException.class).hasMessageContaining("has no node 'node7'");
        assertThat(c.runtime.list(FakeCluster.NAME)).hasSize(3);
    }

    @Test
    void aResyncInterruptedBetweenTheLeaveAndTheJoinIsFinishedByRunningItAgain() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image").run(3);
        FakeRuntime.Snapshot before = c.runtime.snapshot();

        // the leave completes, then creating the new container fails (an image build, Ctrl-C, ...)
        assertThatThrownBy(() -> new NodeResync(c.ctx()).resync("node2", () -> {
            throw new IllegalStateException("image build interrupted");
        }, TIMEOUT)).hasMessageContaining("image build interrupted");
        assertThat(c.runtime.list(FakeCluster.NAME)).extracting(NodeContainer::node).containsExactly("node0", "node1");
        assertThat(c.runtime.volumes(FakeCluster.NAME)).noneMatch(v -> v.node().equals("node2"));

        NodeJoin.Joined joined = new NodeResync(c.ctx()).resync("node2", () -> "image", TIMEOUT);

        assertThat(joined.node().index()).isEqualTo(2);
        assertThat(c.runtime.snapshot().catalogs()).isEqualTo(before.catalogs());
        assertThat(c.log).anyMatch(l -> l.equals("[node2] resync: finishing an interrupted resync (it left; it joins"
                + " again now)"));
        // finished: the marker is gone, so an unknown node is refused again
        c.runtime.kill("node2");
        new NodeResync(c.ctx()).resync("node2", () -> "image", TIMEOUT);
        assertThatThrownBy(() -> new NodeResync(c.ctx()).resync("node5", () -> "image", TIMEOUT))
                .isInstanceOf(UsageException.class);
    }
}
