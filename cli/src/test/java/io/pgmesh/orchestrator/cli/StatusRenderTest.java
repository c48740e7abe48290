package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ReplicationLag;

import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriberProgress;
import io.pgmesh.protocol.SubscriptionInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusRenderTest {

    private static final String NL = System.lineSeparator();

    private static NodeContainer running(int i) {
        return new NodeContainer("id" + i, "pgmesh-node" + i, "node" + i, i, "172.28.5.1" + i, true, "running",
                32801 + 2 * i, 32800 + 2 * i);
    }

    private static SubscriptionInfo sub(String node, String peer, String state) {
        return new SubscriptionInfo("sub_" + node + "_" + peer + "_table1", peer, "pub_" + peer + "_table1",
                !SubscriptionInfo.DISABLED.equals(state), state, null, null, 1, 1);
    }

    private static NodeStatus status(String node, List<SubscriptionInfo> subs, long conflicts, long rows) {
        return new NodeStatus(node, Integer.parseInt(node.substring(4)), "pgmesh", true, "17.6", "lb-test", List.of(),
                subs, Map.of("table1", conflicts), List.of(new NodeStatus.TableRows("table1", rows, true)))
                .withTls(new NodeStatus.TlsState(3, "2027-11-28T01:00:00Z", "1f"));
    }

    private static SubscriberProgress sender(String subscription, String replay) {
        io.pgmesh.protocol.Lsn lsn = io.pgmesh.protocol.Lsn.parseNullable(replay);
        return new SubscriberProgress(subscription, "streaming", lsn, lsn, lsn);
    }

    /** node0 publishes at 0/3000400: node1 has applied all, node2 is 0x400 behind; node1 at 0/2000000, all applied. */
    private static final ReplicationLag LAG = new ReplicationLag(Map.of(
            "node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/3000400"), List.of(
                    sender("sub_node1_node0_table1", "0/3000400"), sender("sub_node2_node0_table1", "0/3000000"))),
            "node1", new ReplicationProgress("node1", io.pgmesh.protocol.Lsn.parse("0/2000000"), List.of(
                    sender("sub_node0_node1_table1", "0/2000000"), sender("sub_node2_node1_table1", "0/2000000")))));

    private static List<NodeReport> threeNodes() {
        NodeContainer down = new NodeContainer("id2", "pgmesh-node2", "node2", 2, null, false, "exited", 0, 0);
        return List.of(
                new NodeReport(running(0), status("node0", List.of(sub("node0", "node1", "streaming"),
                        sub("node0", "node2", "stopped")), 7, 804), NodeReport.DEGRADED, "1 of 2 subscriptions streaming"),
                new NodeReport(running(1), status("node1", List.of(sub("node1", "node0", "streaming"),
                        sub("node1", "node2", "stopped")), 0, 804), NodeReport.DEGRADED, "1 of 2 subscriptions streaming"),
                new NodeReport(down, null, NodeReport.DOWN, "container exited"));
    }

    @Test
    void tableShowsAddressPortsHealthConflictsRowsAndLagBehindEachPeer() {
        assertThat(StatusCommand.render(threeNodes(), LAG)).isEqualTo(String.join(NL,
                "NODE   ADDRESS      PG     RPC    HEALTH    CONFLICTS  ROWS  CERT EXPIRES  LAG BEHIND EACH PEER",
                "node0  172.28.5.10  32801  32800  degraded  7          804   2027-11-28    node1 0 B, node2 stopped  (1 of 2 subscriptions streaming)",
                "node1  172.28.5.11  32803  32802  degraded  0          804   2027-11-28    node0 0 B, node2 stopped  (1 of 2 subscriptions streaming)",
                "node2  -            -      -      down      -          -     -             -  (container exited)"));
    }

    @Test
    void onASwarmEachNodeShowsItsHostAndADownHostNamesItself() {
        NodeContainer n0 = new NodeContainer("s0", "pgmesh-node0", "node0", 0, "pgmesh-node0", true, "running",
                25432, 26432, "h1");
        NodeContainer n1 = new NodeContainer("s1", "pgmesh-node1", "node1", 1, "pgmesh-node1", false, "host h2 down",
                25433, 26433, "h2");
        List<NodeReport> reports = List.of(
                new NodeReport(n0, status("node0", List.of(sub("node0", "node1", "connecting")), 0, 5),
                        NodeReport.DEGRADED, "0 of 1 subscriptions streaming"),
                new NodeReport(n1, null, NodeReport.DOWN, "host h2 down"));
        assertThat(StatusCommand.render(reports, LAG)).isEqualTo(String.join(NL,
                "NODE   HOST  ADDRESS       PG     RPC    HEALTH    CONFLICTS  ROWS  CERT EXPIRES  LAG BEHIND EACH PEER",
                "node0  h1    pgmesh-node0  25432  26432  degraded  0          5     2027-11-28    node1 connecting  (0 of 1 subscriptions streaming)",
                "node1  h2    pgmesh-node1  25433  26433  down      -          -     -             -  (host h2 down)"));
    }

    @Test
    void aStreamingSubscriptionWhosePublisherDidNotAnswerIsUnknown() {
        NodeReport r = new NodeReport(running(1), status("node1", List.of(sub("node1", "node0", "streaming"),
                sub("node1", "node2", "streaming")), 0, 1), NodeReport.HEALTHY, "");
        assertThat(StatusCommand.lagBehindPeers(r, LAG)).isEqualTo("node0 0 B, node2 ?");
        assertThat(StatusCommand.lagBehindPeers(r, new ReplicationLag(Map.of()))).isEqualTo("node0 ?, node2 ?");
    }

    @Test
    void aPeerThatDoesNotStreamShowsItsStateAndAStalledOneTheAgeOfItsLastMessage() {
        SubscriptionInfo stalled = new SubscriptionInfo("sub_node0_node2_table1", "node2", "pub_node2_table1", true,
                SubscriptionInfo.STALLED, "0/3000000", "2026-11-27T16:00:00Z", 1, 1, 9_800L);
        NodeReport r = new NodeReport(running(0), status("node0", List.of(sub("node0", "node1", "streaming"), stalled),
                0, 1), NodeReport.DEGRADED, "1 of 2 subscriptions streaming");
        assertThat(StatusCommand.lagBehindPeers(r, LAG)).isEqualTo("node1 0 B, node2 stalled (last message 9 s ago)");
        NodeReport connecting = new NodeReport(running(0), status("node0", List.of(sub("node0", "node1", "streaming"),
                sub("node0", "node2", "connecting")), 0, 1), NodeReport.DEGRADED, "1 of 2 subscriptions streaming");
        assertThat(StatusCommand.lagBehindPeers(connecting, LAG)).isEqualTo("node1 0 B, node2 connecting");
    }

    @Test
    void healthyNodesKeepTheHealthWordBetweenSpaces() {
        NodeReport r = new NodeReport(running(0), status("node0", List.of(), 0, 0), NodeReport.HEALTHY, "");
        assertThat(StatusCommand.render(List.of(r), LAG).lines().toList().get(1)).contains(" healthy ");
    }

    @Test
    void matrixHasPublishersAsRowsSubscribersAsColumnsADashDiagonalAndUnknowns() {
        assertThat(StatusCommand.renderMatrix(List.of("node0", "node1", "node2"), LAG, List.of("table1")))
                .isEqualTo(String.join(NL,
                        "Replication lag: bytes of FROM's WAL not yet applied on TO ('-' itself, '?' unknown)",
                        "FROM \\ TO  node0  node1  node2",
                        "node0      -      0 B    1.0 KiB",
                        "node1      0 B    -      0 B",
                        "node2      ?      ?      -"));
    }

    @Test
    void aPairIsAsFarBehindAsItsWorstTableAndUnknownIfAnyTableIs() {
        ReplicationLag lag = new ReplicationLag(Map.of("node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("1/0"), List.of(
                sender("sub_node1_node0_a", "0/FFFFFF00"), sender("sub_node1_node0_b", "0/FFFF0000")))));
        assertThat(lag.between("node0", "node1", List.of("a", "b"))).hasValue(0x10000);
        assertThat(lag.between("node0", "node1", List.of("a", "b", "c"))).isEmpty();
        assertThat(lag.between("node0", "node1", List.of())).isEmpty();
    }

    @Test
    void aSubscriberAheadOfTheEarlierReadPositionIsNotBehind() {
        ReplicationLag lag = new ReplicationLag(Map.of("node0", new ReplicationProgress("node0", io.pgmesh.protocol.Lsn.parse("0/100"), List.of(
                sender("sub_node1_node0_t", "0/200"), sender("sub_node2_node0_t", null)))));
        assertThat(lag.ofSubscription("node0", "sub_node1_node0_t")).hasValue(0);
        assertThat(lag.ofSubscription("node0", "sub_node2_node0_t")).as("nothing applied yet: unknown").isEmpty();
        assertThat(lag.ofSubscription(null, "sub_node2_node0_t")).isEmpty();
    }

    @Test
    void bytesAreShortAndHuman() {
        assertThat(StatusCommand.bytes(0)).isEqualTo("0 B");
        assertThat(StatusCommand.bytes(1023)).isEqualTo("1023 B");
        assertThat(StatusCommand.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(StatusCommand.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
    }

    @Test
    void rowsAreExactOrMarkedAsEstimates() {
        assertThat(StatusCommand.rows(null)).isEqualTo("-");
        assertThat(StatusCommand.rows(new NodeStatus("n", 0, "c", true, "17", "db", List.of(), List.of(), Map.of())))
                .as("an older daemon: not counted").isEqualTo("-");
        NodeStatus two = new NodeStatus("n", 0, "c", true, "17", "db", List.of(), List.of(), Map.of(), List.of(
                new NodeStatus.TableRows("a", 800, true), new NodeStatus.TableRows("b", 4, true)));
        assertThat(StatusCommand.rows(two)).isEqualTo("804");
        NodeStatus big = new NodeStatus("n", 0, "c", true, "17", "db", List.of(), List.of(), Map.of(), List.of(
                new NodeStatus.TableRows("a", 1_234_567, false)));
        assertThat(StatusCommand.rows(big)).isEqualTo("~1.2M");
        NodeStatus mid = new NodeStatus("n", 0, "c", true, "17", "db", List.of(), List.of(), Map.of(), List.of(
                new NodeStatus.TableRows("a", 150_400, false)));
        assertThat(StatusCommand.rows(mid)).isEqualTo("~150k");
    }

    @Test
    void jsonHasEveryKeyInOrderWithNullsForWhatNobodyKnows() throws Exception {
        String json = Json.write(StatusJson.of("pgmesh", false, threeNodes(), LAG));
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.get("cluster").asText()).isEqualTo("pgmesh");
        assertThat(doc.get("healthy").asBoolean()).isFalse();
        JsonNode node0 = doc.get("nodes").get(0);
        assertThat(node0.fieldNames()).toIterable().containsExactly("node", "container", "host", "address", "pgPort",
                "rpcPort", "health", "detail", "conflicts", "rows", "rowsExact", "rowsPerTable", "subscriptions",
                "certificateExpires", "tlsGeneration");
        assertThat(node0.get("certificateExpires").asText()).isEqualTo("2027-11-28T01:00:00Z");
        assertThat(node0.get("tlsGeneration").asLong()).isEqualTo(3);
        assertThat(node0.get("host").isNull()).as("one engine: no host").isTrue();
        assertThat(node0.get("pgPort").asInt()).isEqualTo(32801);
        assertThat(node0.get("conflicts").asLong()).isEqualTo(7);
        assertThat(node0.get("rows").asLong()).isEqualTo(804);
        assertThat(node0.get("rowsPerTable").get("table1").asLong()).isEqualTo(804);
        JsonNode first = node0.get("subscriptions").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("peer", "name", "state", "lagBytes");
        assertThat(first.get("peer").asText()).isEqualTo("node1");
        assertThat(first.get("lagBytes").asLong()).isZero();
        assertThat(node0.get("subscriptions").get(1).get("lagBytes").isNull()).as("node2 did not answer").isTrue();
        JsonNode node1 = doc.get("nodes").get(1);
        assertThat(node1.get("subscriptions").get(0).get("lagBytes").asLong()).isZero();
        JsonNode node2 = doc.get("nodes").get(2);
        assertThat(node2.get("health").asText()).isEqualTo("down");
        assertThat(node2.get("address").isNull()).isTrue();
        assertThat(node2.get("pgPort").isNull()).isTrue();
        assertThat(node2.get("rows").isNull()).isTrue();
        assertThat(node2.get("subscriptions")).isEmpty();
    }

    @Test
    void aCertificateWithin30DaysOfItsExpiryOrPastItIsAWarningNamingTheCommand() {
        java.time.Instant now = java.time.Instant.parse("2027-11-01T00:00:00Z");
        NodeReport soon = new NodeReport(running(0), status("node0", List.of(), 0, 1), NodeReport.HEALTHY, "");
        NodeReport later = new NodeReport(running(1), status("node1", List.of(), 0, 1)
                .withTls(new NodeStatus.TlsState(3, "2028-06-01T00:00:00Z", "2")), NodeReport.HEALTHY, "");
        NodeReport expired = new NodeReport(running(0), status("node0", List.of(), 0, 1)
                .withTls(new NodeStatus.TlsState(3, "2027-10-31T00:00:00Z", "3")), NodeReport.HEALTHY, "");
        assertThat(StatusCommand.certificateWarnings(List.of(soon, later), now)).containsExactly(
                "node0's certificate expires on 2027-11-28T01:00:00Z (in 27 days): run 'pgmesh rotate-certs'");
        assertThat(StatusCommand.certificateWarnings(List.of(expired), now)).singleElement().asString()
                .contains("expired").contains("rotate-certs");
        assertThat(StatusCommand.certificateWarnings(List.of(later), now)).isEmpty();
    }

    @Test
    void jsonOfAnEmptyClusterIsADocumentToo() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(Json.write(StatusJson.of("c", false, List.of(),
                new ReplicationLag(Map.of()))));
        assertThat(doc.get("nodes")).isEmpty();
        assertThat(doc.get("healthy").asBoolean()).isFalse();
    }
}
