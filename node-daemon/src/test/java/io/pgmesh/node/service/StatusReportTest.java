package io.pgmesh.node.service;

import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.TopologyHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReportTest {

    @Test
    void findsThePeerInASubscriptionNameEvenWithUnderscores() {
        NetworkTopology topology = new NetworkTopology("c", "node_a", 0, "n", List.of(
                new TopologyHost("node_a", 0, "10.0.0.1"), new TopologyHost("node_b", 1, "10.0.0.2"),
                new TopologyHost("node_b_x", 2, "10.0.0.3")));
        StatusReport report = new StatusReport(null, topology, null);
        assertThat(report.peerOf("sub_node_a_node_b_table1")).isEqualTo("node_b");
        assertThat(report.peerOf("sub_node_a_node_b_x_table1")).isEqualTo("node_b_x");
        assertThat(report.peerOf("sub_node_a_node7_t")).isEqualTo("node7");
        assertThat(report.peerOf("other")).isNull();
    }
}
