package io.pgmesh.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The status answer on the wire: row counts travel, and an answer without them (an older daemon) still reads. */
class NodeStatusTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void rowCountsRoundTrip() throws Exception {
        NodeStatus status = new NodeStatus("node0", 0, "c", true, "17.6", "lb-test",
                List.of(new PublicationInfo("pub_node0_table1", List.of("table1"))), List.of(), Map.of("table1", 2L),
                List.of(new NodeStatus.TableRows("table1", 804, true)));
        assertThat(json.readValue(json.writeValueAsString(status), NodeStatus.class)).isEqualTo(status);
    }

    @Test
    void anAnswerWithoutRowsReadsAsNotCounted() throws Exception {
        String old = """
                {"node":"node0","index":0,"cluster":"c","postgresUp":true,"postgresVersion":"17.6",
                 "database":"lb-test","publications":[],"subscriptions":[],"conflicts":{"table1":1}}""";
        NodeStatus status = json.readValue(old, NodeStatus.class);
        assertThat(status.rows()).isEmpty();
        assertThat(status.conflictCount()).isEqualTo(1);
    }

    @Test
    void aSubscriptionsAgeOfLastMessageTravelsAndItsStateReads() throws Exception {
        SubscriptionInfo stalled = new SubscriptionInfo("sub_node0_node2_table1", "node2", "pub_node2_table1", true,
                SubscriptionInfo.STALLED, "0/3000400", "2026-11-27T16:00:00Z", 1, 1, 12_345L);
        SubscriptionInfo read = json.readValue(json.writeValueAsString(stalled), SubscriptionInfo.class);
        assertThat(read).isEqualTo(stalled);
        assertThat(read.streaming()).isFalse();
        assertThat(read.stateDescription()).isEqualTo("stalled (last message 12 s ago)");
        assertThat(json.writeValueAsString(stalled)).as("helpers are not fields on the wire")
                .doesNotContain("stateDescription").doesNotContain("\"streaming\":").doesNotContain("synced");
    }

    @Test
    void aSubscriptionFromAnOlderDaemonReadsWithoutAnAgeAndUnknownFieldsAreSkipped() throws Exception {
        String old = """
                {"name":"sub_node0_node1_table1","peer":"node1","publication":"pub_node1_table1","enabled":true,
                 "state":"streaming","receivedLsn":"0/1","lastMessageAt":null,"tablesReady":1,"tablesTotal":1,
                 "someLaterField":7}""";
        SubscriptionInfo s = json.readValue(old, SubscriptionInfo.class);
        assertThat(s.lastMessageAgeMillis()).isNull();
        assertThat(s.streaming()).isTrue();
        assertThat(s.stateDescription()).isEqualTo("streaming");
        assertThat(new SubscriptionInfo("n", "p", "pub", true, SubscriptionInfo.STALLED, null, null, 1, 1)
                .stateDescription()).as("no age known").isEqualTo("stalled");
    }
}
