package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SlotRetention;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The WAL each node holds back for its peers, and the warnings status prints about it. */
class WalHeldTest {

    private static final List<String> NODES = List.of("node0", "node1", "node2");
    private static final List<String> TABLES = List.of("table1", "table2");
    private static final long MIB = 1024 * 1024;

    private static ReplicationProgress publisher(String node, SlotRetention... slots) {
        return new ReplicationProgress(node, Lsn.parse("0/1000000"), List.of(), List.of(slots));
    }

    @Test
    void eachPublisherHoldsTheMostOfItsSlotsForASubscriberAndLostWins() {
        ReplicationLag lag = new ReplicationLag(Map.of(
                "node0", publisher("node0",
                        new SlotRetention("sub_node2_node0_table1", "extended", 3000 * MIB),
                        new SlotRetention("sub_node2_node0_table2", "extended", 2900 * MIB),
                        new SlotRetention("sub_node1_node0_table1", "reserved", 10)),
                "node1", publisher("node1",
                        new SlotRetention("sub_node2_node1_table1", "lost", 0),
                        new SlotRetention("sub_node2_node1_table2", "reserved", 5))));

        List<ReplicationLag.WalHeld> held = lag.walHeld(NODES, TABLES);

        assertThat(held).containsExactly(
                new ReplicationLag.WalHeld("node0", "node1", 10, false),
                new ReplicationLag.WalHeld("node0", "node2", 3000 * MIB, false),
                new ReplicationLag.WalHeld("node1", "node2", 5, true));
        List<String> warnings = ReplicationLag.walWarnings(held, 4096);
        assertThat(warnings).containsExactly(
                "node0 holds 3000.0 MiB of WAL for node2, over half of wal.max_slot_keep_mb (4096 MiB): bring node2"
                        + " back ('pgmesh start-node node2') before it reaches the limit, or its slots are lost",
                "node1 no longer holds the WAL node2 needs (its slots passed wal.max_slot_keep_mb, 4096 MiB): node2"
                        + " cannot catch up by streaming; rebuild it from a healthy peer: 'pgmesh resync node2'");
    }

    @Test
    void underHalfTheLimitAndFromAnOlderDaemonNothingIsSaid() {
        ReplicationLag lag = new ReplicationLag(Map.of(
                "node0", publisher("node0", new SlotRetention("sub_node1_node0_table1", "reserved", 2048 * MIB)),
                "node1", new ReplicationProgress("node1", Lsn.parse("0/1"), List.of())));
        assertThat(ReplicationLag.walWarnings(lag.walHeld(NODES, TABLES), 4096)).isEmpty();
        assertThat(lag.walHeld(NODES, TABLES)).singleElement()
                .isEqualTo(new ReplicationLag.WalHeld("node0", "node1", 2048 * MIB, false));
    }
}
