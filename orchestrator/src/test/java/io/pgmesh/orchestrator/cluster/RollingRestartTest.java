package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.fake.FakeCluster;
import io.pgmesh.orchestrator.fake.FakeRuntime;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code restart} and {@code upgrade} on fake nodes. */
class RollingRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path home;

    @Test
    void upgradeReplacesEveryNodeOnItsDataOneAtATimeAndThenNothing() {
        FakeCluster c = new FakeCluster(home);
        List<NodeContainer> before = new ClusterUp(c.ctx(), () -> "image:1").run(3);
        FakeRuntime.Snapshot catalogs = c.runtime.snapshot();

        RollingRestart.Result result = new RollingRestart(c.ctx()).upgrade("image:2", TIMEOUT);

        assertThat(result.replaced()).containsExactly("node0", "node1", "node2");
        List<NodeContainer> after = c.runtime.list(FakeCluster.NAME);
        assertThat(after).allSatisfy(n -> assertThat(c.runtime.imageOf(n)).isEqualTo("image:2"));
        assertThat(after).extracting(NodeContainer::pgPort).isEqualTo(before.stream().map(NodeContainer::pgPort).toList());
        assertThat(c.runtime.snapshot()).as("same data: catalogs, slots, subscriptions").isEqualTo(catalogs);
        // one at a time: node1 is replaced only after node0 has caught up
        int node0CaughtUp = indexOf(c.log, "[node0] caught up");
        int node1Stops = indexOf(c.log, "[node1] its changes reached every peer");
        assertThat(node0CaughtUp).isPositive().isLessThan(node1Stops);

        RollingRestart.Result again = new RollingRestart(c.ctx()).upgrade("image:2", TIMEOUT);
        assertThat(again.replaced()).isEmpty();
        assertThat(again.current()).containsExactly("node0", "node1", "node2");
    }

    @Test
    void restartKeepsEachNodesImageAndARerunFinishesAnInterruptedRoll() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(3);
        // an interrupted roll: node1's container is gone, its data is kept
        c.runtime.stop(c.runtime.list(FakeCluster.NAME).get(1));
        c.runtime.remove(c.runtime.list(FakeCluster.NAME).get(1));
        assertThat(c.runtime.snapshot().nodes()).containsExactly("node0", "node2");

        RollingRestart.Result result = new RollingRestart(c.ctx()).restart(TIMEOUT);

        assertThat(result.replaced()).containsExactly("node1", "node0", "node2");
        assertThat(c.log).anyMatch(l -> l.startsWith("[node1] has its data but no container (an interrupted restart)"));
        assertThat(c.runtime.list(FakeCluster.NAME)).hasSize(3).allMatch(NodeContainer::running)
                .allSatisfy(n -> assertThat(c.runtime.imageOf(n)).isEqualTo("image:1"));
    }

    @Test
    void aStoppedNodeIsRefusedBeforeAnythingIsReplaced() {
        FakeCluster c = new FakeCluster(home);
        new ClusterUp(c.ctx(), () -> "image:1").run(3);
        c.runtime.kill("node2");

        assertThatThrownBy(() -> new RollingRestart(c.ctx()).upgrade("image:2", TIMEOUT))
                .hasMessageContaining("cannot upgrade while node2 is stopped: start it first");
        assertThat(c.runtime.list(FakeCluster.NAME)).filteredOn(NodeContainer::running)
                .allSatisfy(n -> assertThat(c.runtime.imageOf(n)).isEqualTo("image:1"));
    }

    private static int indexOf(List<String> log, String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
