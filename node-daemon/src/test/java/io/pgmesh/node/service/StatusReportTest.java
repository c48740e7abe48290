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

    @Test
    void rowsAreExactUpToTheLimitAndAnEstimateAbove() {
        assertThat(StatusReport.tableRows("t", 0, null)).isEqualTo(new io.pgmesh.protocol.NodeStatus.TableRows("t", 0, true));
        assertThat(StatusReport.tableRows("t", StatusReport.ROW_COUNT_LIMIT, null).exact()).isTrue();
        assertThat(StatusReport.tableRows("t", StatusReport.ROW_COUNT_LIMIT + 1, 1_234_567L))
                .isEqualTo(new io.pgmesh.protocol.NodeStatus.TableRows("t", 1_234_567, false));
        assertThat(StatusReport.tableRows("t", StatusReport.ROW_COUNT_LIMIT + 1, -1L))
                .as("never analyzed: reltuples is -1").isEqualTo(
                        new io.pgmesh.protocol.NodeStatus.TableRows("t", StatusReport.ROW_COUNT_LIMIT + 1, false));
    }

    @Test
    void countsTheTablesThisNodesPublicationsAreNamedForNotTheirTombstones() {
        var publications = List.of(
                new io.pgmesh.protocol.PublicationInfo("pub_node0_table2", List.of("pgmesh_tombstones_table2", "table2")),
                new io.pgmesh.protocol.PublicationInfo("pub_node0_table1", List.of("pgmesh_tombstones_table1", "table1")),
                new io.pgmesh.protocol.PublicationInfo("other", List.of("x")));
        assertThat(StatusReport.replicatedTables("node0", publications)).containsExactly("table1", "table2");
        assertThat(StatusReport.replicatedTables(null, publications)).as("before the topology").isEmpty();
    }
}
