package io.pgmesh.node.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmesh.protocol.RowVersion;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RowRepairTest {

    @Test
    void theWinningVersionBecomesOneJsonObjectOfEveryColumn() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", "42");
        values.put("col1", "it's");
        values.put("col2", null);
        JsonNode row = new ObjectMapper().readTree(RowRepair.rowJson(new RowVersion("2026-11-24T22:00:00.000001Z",
                "2026-11-24T22:00:01.5Z", 2, "2026-11-24T22:00:00.000001Z", 1, values)));
        assertThat(row.get("id").asText()).isEqualTo("42");
        assertThat(row.get("col1").asText()).isEqualTo("it's");
        assertThat(row.get("col2").isNull()).isTrue();
        assertThat(row.get("modified_ts").asText()).isEqualTo("2026-11-24T22:00:01.5Z");
        assertThat(row.get("modified_by").asInt()).isEqualTo(2);
        assertThat(row.get("prev_modified_by").asInt()).isEqualTo(1);
    }

    @Test
    void anInsertVersionHasNullPredecessors() throws Exception {
        JsonNode row = new ObjectMapper().readTree(RowRepair.rowJson(new RowVersion("2026-11-24T22:00:00Z",
                "2026-11-24T22:00:00Z", 0, null, null, Map.of("id", "1"))));
        assertThat(row.get("prev_modified_ts").isNull()).isTrue();
        assertThat(row.get("prev_modified_by").isNull()).isTrue();
    }
}
