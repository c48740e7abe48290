package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PublicationInfo;
import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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
    void degradedWhenASubscriptionIsConnectingOrStalledThoughItsWorkerRuns() {
        for (String notStreaming : List.of(SubscriptionInfo.CONNECTING, SubscriptionInfo.STALLED)) {
            NodeStatus s = status(true, sub("node1", SubscriptionInfo.STREAMING), sub("node2", notStreaming));
            assertThat(ClusterStatus.judge(s, 2)).as(notStreaming).isEqualTo(NodeReport.DEGRADED);
            assertThat(ClusterStatus.detail(s, 2)).isEqualTo("1 of 2 subscriptions streaming");
        }
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

    // ---- unfinished membership, judged across nodes ----

    private static final List<String> TABLES = List.of("table1");

    private static SubscriptionInfo streaming(String self, String peer) {
        return new SubscriptionInfo("sub_" + self + "_" + peer + "_table1", peer, "pub_" + peer + "_table1", true,
                SubscriptionInfo.STREAMING, null, null, 1, 1);
    }

    /** node{index}, running, subscribed to each of {@code peers}. */
    private static NodeReport node(int index, String health, String... peers) {
        String name = "node" + index;
        NodeContainer c = new NodeContainer("id" + index, "pgmesh-" + name, name, index, "172.28.5.1" + index, true,
                "running", 5432, 64000);
        List<SubscriptionInfo> subs = java.util.Arrays.stream(peers).map(p -> streaming(name, p)).toList();
        NodeStatus s = new NodeStatus(name, index, "c", true, "17.6", "lb-test",
                List.of(new PublicationInfo("pub_" + name + "_table1", List.of("table1"))), subs, Map.of());
        return new NodeReport(c, s, health, "");
    }

    @Test
    void aCompleteMeshHasNothingUnfinished() {
        List<NodeReport> reports = List.of(node(0, NodeReport.HEALTHY, "node1", "node2"),
                node(1, NodeReport.HEALTHY, "node0", "node2"), node(2, NodeReport.HEALTHY, "node0", "node1"));
        assertThat(ClusterStatus.markUnfinished(reports, Set.of(), TABLES)).isEqualTo(reports);
    }

    @Test
    void theNodeAnInterruptedAddNodeLeftIsJoiningEvenBeforeItHasSubscriptions() {
        // killed after node3's createReplicaTable: no subscriptions from or to it yet
        List<NodeReport> reports = List.of(node(0, NodeReport.DEGRADED, "node1", "node2"),
                node(1, NodeReport.DEGRADED, "node0", "node2"), node(2, NodeReport.DEGRADED, "node0", "node1"),
                node(3, NodeReport.DEGRADED));
        List<NodeReport> marked = ClusterStatus.markUnfinished(reports, Set.of(), TABLES);
        assertThat(marked).extracting(NodeReport::health).containsExactly(NodeReport.DEGRADED, NodeReport.DEGRADED,
                NodeReport.DEGRADED, NodeReport.JOINING);
        assertThat(marked.get(3).detail()).isEqualTo("join unfinished: 0 of 3 own subscriptions, 0 of 3 from peers;"
                + " next step reserve-slots; 'pgmesh add-node' finishes it");
    }

    @Test
    void aRetiredNodeIsLeavingWithTheCommandThatFinishesItsRemoval() {
        // killed after node0 dropped its subscription to node3
        List<NodeReport> reports = List.of(node(0, NodeReport.DEGRADED, "node1", "node2"),
                node(1, NodeReport.HEALTHY, "node0", "node2", "node3"), node(2, NodeReport.HEALTHY, "node0", "node1", "node3"),
                node(3, NodeReport.HEALTHY, "node0", "node1", "node2"));
        List<NodeReport> marked = ClusterStatus.markUnfinished(reports, Set.of(3), TABLES);
        assertThat(marked.get(3).health()).isEqualTo(NodeReport.LEAVING);
        assertThat(marked.get(3).detail()).isEqualTo("removal unfinished; next step drain; 'pgmesh remove-node node3'"
                + " finishes it");
        assertThat(marked.subList(0, 3)).isEqualTo(reports.subList(0, 3));
    }

    @Test
    void withoutEveryNodesAnswerNoJoinIsInferred() {
        NodeContainer down = new NodeContainer("id1", "pgmesh-node1", "node1", 1, null, false, "exited", 0, 0);
        List<NodeReport> reports = List.of(node(0, NodeReport.DEGRADED, "node1"),
                new NodeReport(down, null, NodeReport.DOWN, "container exited"), node(2, NodeReport.DEGRADED));
        assertThat(ClusterStatus.markUnfinished(reports, Set.of(), TABLES)).isEqualTo(reports);
    }
}
