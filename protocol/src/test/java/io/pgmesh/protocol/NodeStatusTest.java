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
}
