package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RowHashes.RowHash;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.pgmesh.orchestrator.check.Divergence.Kind.DIFFERENT;
import static io.pgmesh.orchestrator.check.Divergence.Kind.MISSING;
import static io.pgmesh.orchestrator.check.Divergence.Kind.ONLY_HERE;
import static org.assertj.core.api.Assertions.assertThat;

class DivergenceTest {

    private static TableDigest digest(String node, long rows, String sum, BucketDigest... buckets) {
        return new TableDigest(node, "table1", rows, sum, List.of(buckets), null);
    }

    @Test
    void identicalWhenRowsAndChecksumsMatch() {
        assertThat(Divergence.identical(List.of(digest("node0", 3, "99"), digest("node1", 3, "99")))).isTrue();
        assertThat(Divergence.identical(List.of(digest("node0", 3, "99"), digest("node1", 3, "98")))).isFalse();
        assertThat(Divergence.identical(List.of(digest("node0", 3, "99"), digest("node1", 2, "99")))).isFalse();
    }

    @Test
    void differingBucketsIncludeBucketsAbsentOnANode() {
        List<TableDigest> digests = List.of(
                digest("node0", 3, "6", new BucketDigest(1, 1, "1"), new BucketDigest(2, 1, "2"), new BucketDigest(7, 1, "3")),
                digest("node1", 2, "4", new BucketDigest(1, 1, "1"), new BucketDigest(2, 1, "3")));
        assertThat(Divergence.differingBuckets(digests)).containsExactly(2, 7);
    }

    @Test
    void rowsAreJudgedAgainstTheVersionMostNodesHold() {
        List<RowHashes> rows = List.of(
                new RowHashes("node0", "table1", List.of(new RowHash(1, "a"), new RowHash(2, "b"), new RowHash(3, "c"))),
                new RowHashes("node1", "table1", List.of(new RowHash(1, "a"), new RowHash(2, "X"))),
                new RowHashes("node2", "table1", List.of(new RowHash(1, "a"), new RowHash(2, "b"), new RowHash(4, "d"))));
        Map<String, List<Divergence.RowDifference>> diffs = Divergence.rowDifferences(rows);
        // id 1: same everywhere; id 2: node1 differs; id 3 only on node0; id 4 only on node2
        assertThat(diffs.get("node0")).containsExactly(new Divergence.RowDifference(3, ONLY_HERE));
        assertThat(diffs.get("node1")).containsExactly(new Divergence.RowDifference(2, DIFFERENT));
        assertThat(diffs.get("node2")).containsExactly(new Divergence.RowDifference(4, ONLY_HERE));
    }

    @Test
    void aRowMostNodesLackIsMissingOnTheOthers() {
        List<RowHashes> rows = List.of(
                new RowHashes("node0", "table1", List.of(new RowHash(7, "a"))),
                new RowHashes("node1", "table1", List.of(new RowHash(7, "a"))),
                new RowHashes("node2", "table1", List.of()));
        Map<String, List<Divergence.RowDifference>> diffs = Divergence.rowDifferences(rows);
        assertThat(diffs.get("node2")).containsExactly(new Divergence.RowDifference(7, MISSING));
        assertThat(diffs.get("node0")).isEmpty();
    }

    @Test
    void withTwoNodesATieReportsBothSides() {
        List<RowHashes> rows = List.of(
                new RowHashes("node0", "table1", List.of(new RowHash(5, "a"))),
                new RowHashes("node1", "table1", List.of(new RowHash(5, "b"), new RowHash(6, "c"))));
        Map<String, List<Divergence.RowDifference>> diffs = Divergence.rowDifferences(rows);
        assertThat(diffs.get("node0")).containsExactly(
                new Divergence.RowDifference(5, DIFFERENT), new Divergence.RowDifference(6, MISSING));
        assertThat(diffs.get("node1")).containsExactly(
                new Divergence.RowDifference(5, DIFFERENT), new Divergence.RowDifference(6, ONLY_HERE));
        assertThat(diffs.get("node1").get(1)).hasToString("6 (only here)");
    }

    @Test
    void keysWithAChangeStillInFlightAreLeftOutAndTheRestIsStillCompared() {
        List<RowHashes> rows = List.of(
                new RowHashes("node0", "table1", List.of(new RowHash(1, "a"), new RowHash(2, "b"), new RowHash(3, "c"))),
                new RowHashes("node1", "table1", List.of(new RowHash(1, "a"), new RowHash(3, "x"))),
                new RowHashes("node2", "table1", List.of(new RowHash(1, "a"), new RowHash(3, "c"))));
        // id 2: an insert or update in flight (node1 holds an unsettled change of it); id 3 differs for real
        Map<String, List<Divergence.RowDifference>> diffs = Divergence.rowDifferences(rows, java.util.Set.of(2L));
        assertThat(diffs.get("node0")).isEmpty();
        assertThat(diffs.get("node1")).containsExactly(new Divergence.RowDifference(3, DIFFERENT));
        assertThat(diffs.get("node2")).isEmpty();
        assertThat(Divergence.rowDifferences(rows, java.util.Set.of(2L, 3L)).values()).allMatch(List::isEmpty);
    }

    @Test
    void theKeysLeftOutAreThoseAnyNodeHoldsUnsettledOrNoneWhenANodeCouldNotListThem() {
        UnsettledKeys a = new UnsettledKeys("node0", "table1", List.of(5L, 9L), true);
        UnsettledKeys b = new UnsettledKeys("node1", "table1", List.of(7L, 9L), true);
        UnsettledKeys tooMany = new UnsettledKeys("node2", "table1", List.of(), false);
        assertThat(ClusterCheck.unsettledAnywhere(List.of(a, b))).hasValueSatisfying(
                keys -> assertThat(keys).containsExactly(5L, 7L, 9L));
        assertThat(ClusterCheck.unsettledAnywhere(List.of(a, b, tooMany))).isEmpty();
        List<Long> many = java.util.stream.LongStream.range(100, 100 + DigestRequest.MAX_LEFT_OUT).boxed().toList();
        UnsettledKeys full = new UnsettledKeys("node0", "table1", many, true);
        assertThat(ClusterCheck.unsettledAnywhere(List.of(full))).hasValueSatisfying(k -> assertThat(k).hasSize(40_000));
        assertThat(ClusterCheck.unsettledAnywhere(List.of(full, b))).as("more than a request may leave out")
                .isEmpty();
    }
}
