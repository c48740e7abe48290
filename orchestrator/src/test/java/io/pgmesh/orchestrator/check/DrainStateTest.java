package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DrainStateTest {

    private static final List<String> NODES = List.of("node0", "node1");
    private static final List<String> TABLES = List.of("table1");
    private static final Map<String, Lsn> TARGETS = Map.of("node0", Lsn.parse("0/3000100"), "node1", Lsn.parse("0/2000000"));

    private static SubscriberProgress sender(String subscription, String replay) {
        io.pgmesh.protocol.Lsn lsn = io.pgmesh.protocol.Lsn.parseNullable(replay);
        return new SubscriberProgress(subscription, "streaming", lsn, lsn, lsn);
    }

    @Test
    void drainedWhenEverySubscriberReachedItsPublishersTarget() {
        Map<String, ReplicationProgress> progress = Map.of(
                "node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/3000200"), List.of(sender("sub_node1_node0_table1", "0/3000100"))),
                "node1", new ReplicationProgress("node1", io.pgmesh.protocol.Lsn.parse("0/2000000"), List.of(sender("sub_node0_node1_table1", "0/2000008"))));
        assertThat(DrainState.laggards(NODES, TABLES, TARGETS, progress)).isEmpty();
    }

    @Test
    void aSubscriberBehindItsTargetIsNamedWithPositions() {
        Map<String, ReplicationProgress> progress = Map.of(
                "node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/3000200"), List.of(sender("sub_node1_node0_table1", "0/30000FF"))),
                "node1", new ReplicationProgress("node1", io.pgmesh.protocol.Lsn.parse("0/2000000"), List.of(sender("sub_node0_node1_table1", "0/2000000"))));
        assertThat(DrainState.laggards(NODES, TABLES, TARGETS, progress))
                .containsExactly("sub_node1_node0_table1: applied 0/30000FF of node0's 0/3000100");
    }

    @Test
    void aMissingWalsenderOrUnknownReplayIsNotDrained() {
        Map<String, ReplicationProgress> progress = Map.of(
                "node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/3000200"), List.of()),
                "node1", new ReplicationProgress("node1", io.pgmesh.protocol.Lsn.parse("0/2000000"), List.of(sender("sub_node0_node1_table1", null))));
        assertThat(DrainState.laggards(NODES, TABLES, TARGETS, progress)).containsExactly(
                "sub_node1_node0_table1: not connected to node0",
                "sub_node0_node1_table1: applied nothing of node1's 0/2000000");
    }

    @Test
    void otherWalsendersDoNotCount() {
        Map<String, ReplicationProgress> progress = Map.of(
                "node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/3000200"), List.of(
                        sender("pg_16400_sync_16390_7300000000000000000", "0/9999999"))),
                "node1", new ReplicationProgress("node1", io.pgmesh.protocol.Lsn.parse("0/2000000"), List.of(sender("sub_node0_node1_table1", "0/2000000"))));
        assertThat(DrainState.laggards(NODES, TABLES, TARGETS, progress))
                .containsExactly("sub_node1_node0_table1: not connected to node0");
    }
}
