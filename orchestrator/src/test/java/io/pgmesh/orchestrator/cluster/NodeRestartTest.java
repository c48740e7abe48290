package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NodeRestartTest {

    private static NodeContainer container(int i, boolean running) {
        return new NodeContainer("id" + i, "pgmesh-node" + i, "node" + i, i, "172.28.5.1" + i, running,
                running ? "running" : "exited", running ? 5432 : 0, running ? 64000 : 0);
    }

    private static SubscriptionInfo sub(String peer, String state, Long ageMillis) {
        return new SubscriptionInfo("sub_node0_" + peer + "_table1", peer, "pub_" + peer + "_table1", true, state,
                null, null, 1, 1, ageMillis);
    }

    @Test
    void aLongWaitNamesTheNodesThatAreNotHealthyAndTheirSubscriptionsThatDoNotStream() {
        NodeStatus node0 = new NodeStatus("node0", 0, "c", true, "17", "db", List.of(), List.of(
                sub("node1", SubscriptionInfo.STREAMING, 100L), sub("node2", SubscriptionInfo.CONNECTING, null),
                sub("node3", SubscriptionInfo.STALLED, 9_000L)), Map.of());
        List<NodeReport> reports = List.of(
                new NodeReport(container(0, true), node0, NodeReport.DEGRADED, "1 of 3 subscriptions streaming"),
                new NodeReport(container(1, true), node0, NodeReport.HEALTHY, ""),
                new NodeReport(container(2, false), null, NodeReport.DOWN, "container exited"));
        assertThat(NodeRestart.unhealthy(reports)).isEqualTo("node0 degraded (1 of 3 subscriptions streaming: "
                + "node2 connecting, node3 stalled (last message 9 s ago)); node2 down (container exited)");
    }
}
