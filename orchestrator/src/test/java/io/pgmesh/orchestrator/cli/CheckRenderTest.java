package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.protocol.TableDigest;
import org.junit.jupiter.api.Test;

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
}
