package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.SettledCutoffs;
import io.pgmesh.protocol.UnsettledKeysRequest;
import io.pgmesh.protocol.Tombstone;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.SubscriptionOptions;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.TopologyHost;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestValidationTest {

    private final RequestValidation check = new RequestValidation("node1");

    private static NetworkTopology topology(String node, int index, TopologyHost... hosts) {
        return new NetworkTopology("c1", node, index, "net", List.of(hosts));
    }

    private static final TopologyHost NODE0 = new TopologyHost("node0", 0, "10.251.0.10");
    private static final TopologyHost NODE1 = new TopologyHost("node1", 1, "10.251.0.11");

    @Test
    void slotRequestsNeedAValidDatabaseAndSlotName() {
        assertThatCode(() -> check.slotRequest(new SlotRequest("db", "sub_node2_node1_t"))).doesNotThrowAnyException();
        assertInvalidField(() -> check.slotRequest(null), "request");
        assertInvalidField(() -> check.slotRequest(new SlotRequest("Db", "s")), "request.database");
        assertInvalidField(() -> check.slotRequest(new SlotRequest("db", null)), "request.slotName");
        assertInvalidField(() -> check.slotRequest(new SlotRequest("db", "sub_node-2_node1_t")), "request.slotName");
        assertInvalidField(() -> check.slotRequest(new SlotRequest("db", "s'; x")), "request.slotName");
    }

    @Test
    void anExistingSlotOptionMustBeASlotName() {
        assertThatCode(() -> check.subscriptionOptions(SubscriptionOptions.DEFAULT)).doesNotThrowAnyException();
        assertThatCode(() -> check.subscriptionOptions(new SubscriptionOptions(true, "sub_a_b_t", true)))
                .doesNotThrowAnyException();
        assertInvalidField(() -> check.subscriptionOptions(new SubscriptionOptions(true, "a-b", true)),
                "options.existingSlot");
    }

    @Test
    void peerRequestsNameAnotherPeerAndAtLeastOneTable() {
        assertThatCode(() -> check.peerRequest(new PeerRequest("db", List.of("t"), "node0"), "node1"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.enableRequest(new EnableRequest("db", List.of("t", "u"), "node0", true), "node1"))
                .doesNotThrowAnyException();
        assertInvalidField(() -> check.peerRequest(null, "node1"), "request");
        assertInvalidField(() -> check.peerRequest(new PeerRequest("db", List.of("t"), "node1"), "node1"), "request.peer");
        assertInvalidField(() -> check.peerRequest(new PeerRequest("db", List.of("t"), null), "node1"), "request.peer");
        assertInvalidField(() -> check.peerRequest(new PeerRequest("db", List.of(), "node0"), "node1"), "request.tables");
        assertInvalidField(() -> check.enableRequest(new EnableRequest("db", List.of("t", "T"), "node0", false), "node1"),
                "request.tables[1]");
        assertInvalidField(() -> check.enableRequest(new EnableRequest("db", List.of("x".repeat(60)), "node0", true),
                "node1"), "request.tables[0]");
        assertInvalidField(() -> check.enableRequest(new EnableRequest(null, List.of("t"), "node0", true), "node1"),
                "request.database");
    }

    @Test
    void pruneRequestsNeedTablesAndAnInstant() {
        assertThatCode(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", List.of("t1", "t2"),
                "2026-11-25T03:00:00Z"))).doesNotThrowAnyException();
        assertInvalidField(() -> check.pruneRequest(null), "request");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", null,
                "2026-11-25T03:00:00Z")), "request.tables");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", List.of(),
                "2026-11-25T03:00:00Z")), "request.tables");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", List.of("t1", "pgmesh_x"),
                "2026-11-25T03:00:00Z")), "request.tables[1]");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", List.of("t1"),
                "yesterday")), "request.cutoff");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("db", List.of("t1"),
                null)), "request.cutoff");
        assertInvalidField(() -> check.pruneRequest(new io.pgmesh.protocol.PruneRequest("Db;", List.of("t1"),
                "2026-11-25T03:00:00Z")), "request.database");
    }

    @Test
    void transactionWaitsAreBounded() {
        assertThatCode(() -> check.transactionWaitRequest(new io.pgmesh.protocol.TransactionWaitRequest("db",
                "2026-11-25T03:00:00Z", 0))).doesNotThrowAnyException();
        assertThatCode(() -> check.transactionWaitRequest(new io.pgmesh.protocol.TransactionWaitRequest("db",
                "2026-11-25T03:00:00.123456Z", RequestValidation.MAX_WAIT_MILLIS))).doesNotThrowAnyException();
        assertInvalidField(() -> check.transactionWaitRequest(new io.pgmesh.protocol.TransactionWaitRequest("db",
                "2026-11-25T03:00:00Z", -1)), "request.timeoutMillis");
        assertInvalidField(() -> check.transactionWaitRequest(new io.pgmesh.protocol.TransactionWaitRequest("db",
                "2026-11-25T03:00:00Z", RequestValidation.MAX_WAIT_MILLIS + 1)), "request.timeoutMillis");
        assertInvalidField(() -> check.transactionWaitRequest(new io.pgmesh.protocol.TransactionWaitRequest("db",
                "2026-11-25 03:00", 10)), "request.startedBefore");
    }

    @Test
    void settledCutoffsNameDistinctOriginsWithInstants() {
        SettledCutoffs ok = new SettledCutoffs(List.of(new SettledCutoffs.OriginCutoff(0, "2026-11-27T13:00:00.000001Z"),
                new SettledCutoffs.OriginCutoff(5, "2026-11-27T13:00:00Z")));
        assertThatCode(() -> check.digestRequest(new DigestRequest("db", "t", 16, ok))).doesNotThrowAnyException();
        assertThatCode(() -> check.digestRequest(new DigestRequest("db", "t", 16, null))).doesNotThrowAnyException();
        assertInvalidField(() -> check.digestRequest(new DigestRequest("db", "t", 16, new SettledCutoffs(List.of(
                new SettledCutoffs.OriginCutoff(1, "yesterday"))))), "request.settled.origins[0].before");
        assertInvalidField(() -> check.digestRequest(new DigestRequest("db", "t", 16, new SettledCutoffs(List.of(
                new SettledCutoffs.OriginCutoff(-1, "2026-11-27T13:00:00Z"))))), "request.settled.origins[0].origin");
        assertInvalidField(() -> check.digestRequest(new DigestRequest("db", "t", 16, new SettledCutoffs(List.of(
                new SettledCutoffs.OriginCutoff(SettledCutoffs.MAX_ORIGINS, "2026-11-27T13:00:00Z"))))),
                "request.settled.origins[0].origin");
        assertThatCode(() -> check.digestRequest(new DigestRequest("db", "t", 16, ok, List.of(1L, 2L))))
                .doesNotThrowAnyException();
        List<Long> tooMany = java.util.stream.LongStream.rangeClosed(0, DigestRequest.MAX_LEFT_OUT).boxed().toList();
        assertInvalidField(() -> check.digestRequest(new DigestRequest("db", "t", 16, ok, tooMany)), "request.leftOut");
        assertInvalidField(() -> check.digestRequest(new DigestRequest("db", "t", 16, ok,
                java.util.Arrays.asList(1L, null))), "request.leftOut[1]");
        assertThatCode(() -> check.unsettledKeysRequest(new UnsettledKeysRequest("db", "t", ok)))
                .doesNotThrowAnyException();
        assertInvalidField(() -> check.unsettledKeysRequest(new UnsettledKeysRequest("db", "t", null)),
                "request.settled");
        assertInvalidField(() -> check.unsettledKeysRequest(new UnsettledKeysRequest("db", "t; drop", ok)),
                "request.table");
        assertInvalidField(() -> check.rowHashRequest(new RowHashRequest("db", "t", 16, List.of(1), new SettledCutoffs(
                List.of(new SettledCutoffs.OriginCutoff(2, "2026-11-27T13:00:00Z"),
                        new SettledCutoffs.OriginCutoff(2, "2026-11-27T13:00:01Z"))))), "request.settled.origins[1].origin");
    }

    @Test
    void rowStatesAskForOneToAThousandKeys() {
        assertThatCode(() -> check.rowStatesRequest(new RowStatesRequest("db", "t", List.of(1L, 2L))))
                .doesNotThrowAnyException();
        assertInvalidField(() -> check.rowStatesRequest(new RowStatesRequest("db", "t", List.of())), "request.ids");
        List<Long> tooMany = java.util.stream.LongStream.rangeClosed(1, RowStatesRequest.MAX_IDS + 1).boxed().toList();
        assertInvalidField(() -> check.rowStatesRequest(new RowStatesRequest("db", "t", tooMany)), "request.ids");
        assertInvalidField(() -> check.rowStatesRequest(new RowStatesRequest("db", "T", List.of(1L))), "request.table");
    }

    @Test
    void repairRowsListEachKeyOnceWithWellFormedVersionsAndDeletes() {
        RowVersion v = new RowVersion("2026-11-27T13:00:00.000001Z", "2026-11-27T13:00:01.000000Z", 1, null, null,
                java.util.Map.of("id", "7"));
        Tombstone t = new Tombstone("2026-11-27T12:00:00Z", 0, "2026-11-27T11:00:00Z", 2);
        assertThatCode(() -> check.repairRowsRequest(new RepairRowsRequest("db", "t", List.of(
                new RowState(7, v, List.of(t)), new RowState(8, null, List.of(t)))))).doesNotThrowAnyException();
        assertInvalidField(() -> check.repairRowsRequest(new RepairRowsRequest("db", "t", List.of())), "request.rows");
        assertInvalidField(() -> check.repairRowsRequest(new RepairRowsRequest("db", "t", List.of(
                new RowState(7, v, List.of()), new RowState(7, null, List.of())))), "request.rows[1].id");
        RowVersion badTime = new RowVersion("2026-11-27T13:00:00Z", "soon", 1, null, null, java.util.Map.of());
        assertInvalidField(() -> check.repairRowsRequest(new RepairRowsRequest("db", "t", List.of(
                new RowState(7, badTime, List.of())))), "request.rows[0].row.modifiedTs");
        Tombstone badTomb = new Tombstone(null, 0, "2026-11-27T11:00:00Z", 2);
        assertInvalidField(() -> check.repairRowsRequest(new RepairRowsRequest("db", "t", List.of(
                new RowState(7, null, List.of(badTomb))))), "request.rows[0].tombstones[0].deletedTs");
    }

    private static void assertInvalidField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NodeOperationException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
            org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void acceptsAConsistentTopology() {
        assertThatCode(() -> check.topology(topology("node1", 1, NODE0, NODE1))).doesNotThrowAnyException();
    }

    @Test
    void acceptsPeersNamedByDns() {
        assertThatCode(() -> check.topology(topology("node1", 1, NODE0, NODE1,
                new TopologyHost("node2", 2, "pgmesh-node2")))).doesNotThrowAnyException();
    }

    @Test
    void namesTheFieldOfABadAddress() {
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node2", 2, "10.0.0.256")),
                "topology.hosts[2].address");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node2", 2, "db_example")),
                "topology.hosts[2].address");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node2", 2, "pg-node2;drop")),
                "topology.hosts[2].address");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node2", 2, "-node2")),
                "topology.hosts[2].address");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node2", 2, "::1")),
                "topology.hosts[2].address");
    }

    @Test
    void rejectsBadNamesIndicesAndDuplicates() {
        assertInvalid(topology("Node1", 1, NODE0, NODE1), "topology.nodeName");
        assertInvalid(topology("node1", -1, NODE0, NODE1), "topology.nodeIndex");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node1", 3, "10.251.0.13")),
                "topology.hosts[2].name");
        assertInvalid(topology("node1", 1, NODE0, NODE1, new TopologyHost("node3", 0, "10.251.0.13")),
                "topology.hosts[2].index");
        assertInvalid(topology("node1", 1, NODE0, new TopologyHost("x\"; drop", 2, "10.251.0.12")),
                "topology.hosts[1].name");
        assertInvalid(topology("node1", 1, NODE0, new TopologyHost("node2", -3, "10.251.0.12")),
                "topology.hosts[1].index");
    }

    @Test
    void requiresThisNodeAmongTheHostsWithTheSameIndex() {
        assertInvalid(topology("node1", 1, NODE0), "topology.hosts");
        assertInvalid(topology("node1", 2, NODE0, NODE1), "topology.hosts[1].index");
    }

    @Test
    void rejectsAMissingTopology() {
        assertThatThrownBy(() -> check.topology(null)).isInstanceOf(NodeOperationException.class)
                .extracting("field").isEqualTo("topology");
    }

    private void assertInvalid(NetworkTopology topology, String field) {
        assertThatThrownBy(() -> check.topology(topology))
                .isInstanceOfSatisfying(NodeOperationException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field);
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).startsWith("[node1] invalid " + field);
                });
    }
}
