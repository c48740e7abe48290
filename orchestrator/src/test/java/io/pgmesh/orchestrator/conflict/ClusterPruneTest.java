package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Deciding whether the cluster may be pruned (the acting needs nodes: PruneIT). */
class ClusterPruneTest {

    private static NodeReport report(int i, String health, String detail) {
        NodeContainer c = new NodeContainer("id" + i, "pgmesh-node" + i, "node" + i, i, "172.28.5.1" + i,
                !NodeReport.DOWN.equals(health), NodeReport.DOWN.equals(health) ? "exited" : "running", 5432, 64000);
        return new NodeReport(c, null, health, detail);
    }

    @Test
    void everyNodeHealthyMayBePruned() {
        assertThatCode(() -> ClusterPrune.requireEveryNodeHealthy(List.of(report(0, NodeReport.HEALTHY, ""),
                report(1, NodeReport.HEALTHY, "")))).doesNotThrowAnyException();
    }

    @Test
    void aNodeThatIsDownOrJoiningStopsThePruneNamingIt() {
        assertThatThrownBy(() -> ClusterPrune.requireEveryNodeHealthy(List.of(report(0, NodeReport.HEALTHY, ""),
                report(1, NodeReport.DOWN, "container exited"), report(2, NodeReport.JOINING, ""))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing was pruned")
                .hasMessageContaining("node1 down (container exited)")
                .hasMessageContaining("node2 joining")
                .hasMessageNotContaining("node0");
    }

    @Test
    void anEmptyClusterHasNothingToPrune() {
        assertThatThrownBy(() -> ClusterPrune.requireEveryNodeHealthy(List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no nodes");
    }

    @Test
    void aNegativeAgeIsAUsageErrorNamingTheOptionBeforeAnythingIsAsked() {
        // no context: the check comes before the cluster is looked at
        UsageException e = catchThrowableOfType(UsageException.class,
                () -> new ClusterPrune(null).pruneOlderThan(Duration.ofMinutes(-5), Duration.ofSeconds(10)));
        assertThat(e.argument()).isEqualTo("--older-than");
        assertThat(e.getMessage()).isEqualTo("--older-than: must not be negative, got PT-5M");
    }
}
