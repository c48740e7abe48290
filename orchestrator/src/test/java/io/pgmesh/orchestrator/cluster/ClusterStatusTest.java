package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStatusTest {

    private static SubscriptionInfo sub(String peer, String state) {
        return new SubscriptionInfo("sub_node0_" + peer + "_table1", peer, "pub_" + peer + "_table1",
                !SubscriptionInfo.DISABLED.equals(state), state, null, null, 1, 1);
    }

    private static NodeStatus status(boolean up, SubscriptionInfo... subs) {
        return new NodeStatus("node0", 0, "c", up, up ? "17.6" : null, "lb-test", List.of(), List.of(subs), Map.of());
    }

    @Test
    void healthyWhenEveryExpectedSubscriptionStreams() {
        NodeStatus s = status(true, sub("node1", SubscriptionInfo.STREAMING), sub("node2", SubscriptionInfo.STREAMING));
        assertThat(ClusterStatus.judge(s, 2)).isEqualTo(NodeReport.HEALTHY);
        assertThat(ClusterStatus.detail(s, 2)).isEmpty();
    }

    @Test
    void degradedWhenASubscriptionIsStoppedOrMissing() {
        NodeStatus stopped = status(true, sub("node1", SubscriptionInfo.STREAMING), sub("node2", SubscriptionInfo.STOPPED));
        assertThat(ClusterStatus.judge(stopped, 2)).isEqualTo(NodeReport.DEGRADED);
        assertThat(ClusterStatus.detail(stopped, 2)).isEqualTo("1 of 2 subscriptions streaming");
        NodeStatus missing = status(true, sub("node1", SubscriptionInfo.STREAMING));
        assertThat(ClusterStatus.judge(missing, 2)).isEqualTo(NodeReport.DEGRADED);
    }

    @Test
    void postgresDownWinsOverSubscriptions() {
        assertThat(ClusterStatus.judge(status(false), 0)).isEqualTo(NodeReport.POSTGRES_DOWN);
    }

    @Test
    void singleNodeNeedsNoSubscriptions() {
        assertThat(ClusterStatus.judge(status(true), 0)).isEqualTo(NodeReport.HEALTHY);
    }

    @Test
    void aNodeWhoseCopyRunsOrWhoseSubscriptionsWaitIsJoining() {
        SubscriptionInfo copying = new SubscriptionInfo("sub_node3_node0_table1", "node0", "pub_node0_table1", true,
                SubscriptionInfo.STREAMING, null, null, 0, 2);
        SubscriptionInfo waiting = new SubscriptionInfo("sub_node3_node1_table1", "node1", "pub_node1_table1", false,
                SubscriptionInfo.DISABLED, null, null, 2, 2);
        NodeStatus s = status(true, copying, waiting);
        assertThat(ClusterStatus.judge(s, 2)).isEqualTo(NodeReport.JOINING);
        assertThat(ClusterStatus.detail(s, 2)).isEqualTo("joining: 1 subscriptions copying, 1 waiting to be enabled");
    }
}
