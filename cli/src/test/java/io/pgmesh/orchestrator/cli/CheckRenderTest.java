package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.TableDigest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckRenderTest {

    @Test
    void identicalTableIsOneLine() {
        ClusterCheck.TableResult t = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 804, "123", List.of(), null), new TableDigest("node1", "table1", 804, "123", List.of(), null)),
                true, Map.of());
        assertThat(CheckCommand.render(t)).isEqualTo("table1: identical on 2 nodes (804 rows, checksum 123)");
    }

    @Test
    void identicalUnderLoadSaysHowManyRowsInFlightWereLeftOut() {
        ClusterCheck.TableResult sameDigests = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 804, "123", List.of(), null),
                new TableDigest("node1", "table1", 804, "123", List.of(), null)), true, Map.of(), 0);
        ClusterCheck.TableResult inFlight = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 804, "123", List.of(), null),
                new TableDigest("node1", "table1", 802, "77", List.of(), null)), true, Map.of(), 3);
        ClusterCheck.TableResult one = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 10, "5", List.of(), null),
                new TableDigest("node1", "table1", 10, "6", List.of(), null)), true, Map.of(), 1);
        assertThat(CheckCommand.render(sameDigests)).isEqualTo("table1: identical on 2 nodes (804 rows, checksum 123)");
        assertThat(CheckCommand.render(inFlight)).isEqualTo("table1: identical on 2 nodes (802-804 rows;"
                + " 3 rows changed after the check began left out, still in flight)");
        assertThat(CheckCommand.render(one)).isEqualTo("table1: identical on 2 nodes (10 rows;"
                + " 1 row changed after the check began left out, still in flight)");
    }

    @Test
    void divergedTableListsIdsPerNodeAndCutsLongLists() {
        List<Divergence.RowDifference> many = new ArrayList<>();
        for (long id = 1; id <= 25; id++) {
            many.add(new Divergence.RowDifference(id, Divergence.Kind.MISSING));
        }
        ClusterCheck.TableResult t = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 25, "1", List.of(), null), new TableDigest("node1", "table1", 0, "0", List.of(), null)),
                false, Map.of("node0", List.of(), "node1", many));
        String text = CheckCommand.render(t);
        assertThat(text.lines()).containsExactly(
                "table1: DIVERGED",
                "  node0: 25 rows",
                "  node1: 0 rows; 25 ids differ: 1 (missing), 2 (missing), 3 (missing), 4 (missing), 5 (missing),"
                        + " 6 (missing), 7 (missing), 8 (missing), 9 (missing), 10 (missing), 11 (missing),"
                        + " 12 (missing), 13 (missing), 14 (missing), 15 (missing), 16 (missing), 17 (missing),"
                        + " 18 (missing), 19 (missing), 20 (missing) ... and 5 more");
    }

    @Test
    void jsonListsRowsAndChecksumsPerNodeAndEveryDifferingId() throws Exception {
        ClusterCheck.TableResult same = new ClusterCheck.TableResult("table1", List.of(
                new TableDigest("node0", "table1", 804, "123", List.of(), null),
                new TableDigest("node1", "table1", 804, "123", List.of(), null)), true, Map.of());
        ClusterCheck.TableResult diverged = new ClusterCheck.TableResult("table2", List.of(
                new TableDigest("node0", "table2", 2, "9", List.of(), null),
                new TableDigest("node1", "table2", 1, "4", List.of(), null)), false, Map.of("node0", List.of(),
                "node1", List.of(new Divergence.RowDifference(1, Divergence.Kind.MISSING),
                        new Divergence.RowDifference(7, Divergence.Kind.ONLY_HERE))));
        String json = Json.write(CheckJson.of(new ClusterCheck.Result(Duration.ofMillis(412), List.of(same, diverged),
                List.of(new ChangeHorizon("node0", 0, "2026-11-27T13:00:00.000001Z", null),
                        new ChangeHorizon("node1", 1, "2026-11-27T12:59:58.000000Z", "pid 7 (testwriter, idle in transaction)")))));
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.fieldNames()).toIterable().containsExactly("identical", "drainedMillis", "horizons", "tables");
        assertThat(doc.get("horizons").toString())
                .isEqualTo("{\"node0\":\"2026-11-27T13:00:00.000001Z\",\"node1\":\"2026-11-27T12:59:58.000000Z\"}");
        assertThat(doc.get("identical").asBoolean()).isFalse();
        assertThat(doc.get("drainedMillis").asLong()).isEqualTo(412);
        JsonNode t1 = doc.get("tables").get(0);
        assertThat(t1.fieldNames()).toIterable().containsExactly("table", "identical", "rowsPerNode",
                "checksumPerNode", "differingIds", "inFlightIds");
        assertThat(t1.get("identical").asBoolean()).isTrue();
        assertThat(t1.get("rowsPerNode").get("node1").asLong()).isEqualTo(804);
        assertThat(t1.get("differingIds")).isEmpty();
        JsonNode t2 = doc.get("tables").get(1);
        assertThat(t2.get("differingIds").has("node0")).as("only nodes that differ").isFalse();
        assertThat(t2.get("differingIds").get("node1").toString())
                .isEqualTo("[{\"id\":1,\"kind\":\"missing\"},{\"id\":7,\"kind\":\"only_here\"}]");
    }
}
