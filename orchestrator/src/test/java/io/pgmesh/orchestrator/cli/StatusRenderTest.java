package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusRenderTest {

    @Test
    void rowsShowPortsHealthConflictsAndEachSubscription() {
        NodeContainer up = new NodeContainer("id0", "pgmesh-node0", "node0", 0, "172.28.5.10", true, "running", 32801, 32800);
        NodeContainer down = new NodeContainer("id1", "pgmesh-node1", "node1", 1, null, false, "exited", 0, 0);
        NodeStatus status = new NodeStatus("node0", 0, "pgmesh", true, "17.6", "lb-test", List.of(),
                List.of(new SubscriptionInfo("sub_node0_node1_table1", "node1", "pub_node1_table1", true,
                        SubscriptionInfo.STOPPED, null, null, 1, 1)), Map.of("table1", 7L));
        String table = StatusCommand.render(List.of(
                new NodeReport(up, status, NodeReport.DEGRADED, "0 of 1 subscriptions streaming"),
                new NodeReport(down, null, NodeReport.DOWN, "container exited")));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).contains("NODE", "ADDRESS", "HEALTH", "CONFLICTS", "SUBSCRIPTIONS");
        assertThat(lines.get(1)).contains("node0", "172.28.5.10", "32801", "32800", "degraded", " 7 ",
                "node1:stopped", "(0 of 1 subscriptions streaming)");
        assertThat(lines.get(2)).contains("node1", "down", "(container exited)").doesNotContain("null");
    }
}
